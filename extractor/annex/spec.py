"""patterns/annex.toml loaded and validated once: table kinds, columns, rows, operators.

Everything the annex reader knows about table layouts is data; this module only checks
it (PatternError naming file and key) and turns it into ready-to-use structures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..datafiles import load_toml, patterns_dir, require
from ..errors import PatternError
from ..model import Kind

if TYPE_CHECKING:
    from ..patterns import Label

ANNEX_FILE = "annex.toml"
COLUMN_ROLES = ("level1", "level2", "level3", "operator", "unit")
MEASURES = ("budget", "final", "initial_budget", "adjusted_budget", "executed")
_QUOTES = re.compile("[\"'“”‘’「」『』]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class TableKind:
    name: str
    titles: tuple[str, ...]  # keys
    words: tuple[str, ...]  # keys
    min_words: int
    annex_number: int | None
    blocks: tuple[str, ...]


@dataclass(frozen=True)
class ColumnSpec:
    block: str
    pattern: re.Pattern[str]
    field: str = ""  # a label id: the column is the label
    measure: str = ""  # the row is the label; the column measures this
    role: str = ""  # structural column (indicator levels, operator, unit)
    relative_year: int | None = None


@dataclass(frozen=True)
class FlatLayout:
    """A 自评表 flattened into paragraphs ([[flat_rows]]): header words (keys) in order, the
    labels of a row's last figures (and the kinds they must have), the labels of its lead."""

    name: str
    header: tuple[str, ...]
    tail: tuple[str, ...]
    tail_kinds: tuple[Kind, ...]
    lead: tuple[str, ...]

    @property
    def rule_layout(self) -> str:
        """The layout part of its facts' rule ids: annex.flat_chongqing.<label>."""
        return "flat_" + self.name


@dataclass(frozen=True)
class AnnexSpec:
    path: str
    traditional: dict[int, str]
    kinds: tuple[TableKind, ...]  # in matching order (most specific title first)
    variants: dict[str, tuple[str, ...]]
    block_min: dict[str, int]
    block_unit: dict[str, str]
    units: dict[str, str]
    columns: tuple[ColumnSpec, ...]
    rows: dict[str, dict[str, str]]  # block -> key -> label
    items: dict[str, str]
    parents: dict[str, tuple[str, ...]]
    funding_field_rows: frozenset[str]
    funding_row_rates: frozenset[str]  # field columns a part row keeps as its own unlabelled rate
    inline_measure: str
    rate_labels: frozenset[str]
    grades: tuple[str, ...]
    total_rows: tuple[str, ...]
    total_fields: dict[str, str]
    operators: dict[str, str]
    operator_suffixes: dict[str, str]
    extra_units: dict[str, Kind]
    nulls: frozenset[str]
    fillers: frozenset[str]
    label_kinds: dict[str, Kind]
    synonyms: dict[str, str]  # key of a labels.toml synonym -> label
    synonym_blocks: frozenset[str]  # blocks whose rows may use labels.toml synonyms
    template_markers: tuple[str, ...] = ()  # keys of template instructions: 参考提纲
    noise: re.Pattern[str] | None = None  # mirror conversion noise inside words: 預(yù)算數(shù)
    flat_layouts: tuple[FlatLayout, ...] = ()  # 自评表 flattened into paragraphs
    _keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def key(self, text: str) -> str:
        """The matching key of a text: NFKC, simplified, no spaces or quotes (memoised)."""
        found = self._keys.get(text)
        if found is None:
            if len(self._keys) > 50_000:
                self._keys.clear()
            found = self._keys[text] = make_key(text, self.traditional, self.noise)
        return found

    def denoised(self, text: str) -> str:
        """A subject a reader names: simplified, without a mirror's conversion noise
        (項(xiàng)目驗(yàn)收合格率 -> 项目验收合格率); spacing and punctuation kept as written."""
        if self.noise is not None and "(" in text:
            text = self.noise.sub("", text)
        return text.translate(self.traditional)

    @cached_property
    def funding_inline(self) -> re.Pattern[str]:
        """A funding row name, spaces allowed between its characters, and a colon: the inline
        shape "其中：一般公共预算：3790.52" (longest name first; built once per spec)."""
        names = sorted(self.rows.get("funding", {}), key=len, reverse=True)
        alternation = "|".join(r"\s*".join(re.escape(ch) for ch in name) for name in names)
        return re.compile(rf"({alternation})\s*[:：]")


def make_key(text: str, traditional: dict[int, str], noise: re.Pattern[str] | None = None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(traditional)
    if noise is not None and "(" in text:
        text = noise.sub("", text)
    return _QUOTES.sub("", _SPACE.sub("", text))


def load_annex_spec(directory: str | Path | None = None,
                    labels: dict[str, Label] | None = None) -> AnnexSpec:
    """The validated annex spec from patterns/annex.toml, checked against the labels of
    labels.toml (read by extractor.patterns.load_labels when not given). Read once into the
    Patterns bundle; annex code gets it from there (default_spec)."""
    from ..patterns import load_labels

    root = patterns_dir(directory)
    return _build(str(root), labels if labels is not None else load_labels(root))


def default_spec() -> AnnexSpec:
    """The annex spec of the process's Patterns bundle (the one the CLI activated)."""
    from ..patterns import active

    spec = active().annex
    assert spec is not None
    return spec


def _build(directory: str, labels: dict[str, Label]) -> AnnexSpec:
    data = load_toml(ANNEX_FILE, directory)
    path = str(Path(directory) / ANNEX_FILE)
    label_kinds = {label.id: label.kind for label in labels.values()}
    synonyms = {word: label.id for label in labels.values() for word in label.synonyms}
    traditional = _traditional(data, path)
    noise = _noise(data, path)

    def key(text: str) -> str:
        return make_key(text, traditional, noise)

    blocks = require(data, "blocks", dict, path, "(root)")
    columns = tuple(_column(c, i, path, blocks, label_kinds) for i, c in enumerate(require(data, "columns", list, path, "(root)")))
    return AnnexSpec(
        path=path,
        traditional=traditional,
        kinds=_kinds(data, path, key, blocks),
        variants={n: tuple(key(w) for w in require(v, "words", list, path, f"variants.{n}"))
                  for n, v in require(data, "variants", dict, path, "(root)").items()},
        block_min={n: require(b, "min_columns", int, path, f"blocks.{n}") for n, b in blocks.items()},
        block_unit={n: require(b, "default_unit", str, path, f"blocks.{n}") for n, b in blocks.items()},
        units={key(k): v for k, v in require(data, "units", dict, path, "(root)").items()},
        columns=columns,
        rows=_rows(data, path, key, blocks, label_kinds),
        items=_checked_map(require(data, "items", dict, path, "(root)"), path, "items", label_kinds),
        parents=_parents(data, path, label_kinds),
        funding_field_rows=frozenset(require(data["funding"], "field_rows", list, path, "funding")),
        funding_row_rates=_row_rates(data, path, label_kinds),
        inline_measure=_inline_measure(data, path),
        rate_labels=_rate_labels(data, path, label_kinds),
        grades=tuple(require(data["indicators"], "grades", list, path, "indicators")),
        total_rows=tuple(key(w) for w in require(data["indicators"], "total_rows", list, path, "indicators")),
        total_fields=_checked_map(require(data["indicators"], "total_fields", dict, path, "indicators"), path, "indicators.total_fields", label_kinds),
        operators=dict(require(data, "operators", dict, path, "(root)")),
        operator_suffixes=dict(require(data, "operator_suffixes", dict, path, "(root)")),
        extra_units={u: Kind(k) for u, k in require(data, "extra_units", dict, path, "(root)").items()},
        nulls=frozenset(key(m) for m in require(data["nulls"], "markers", list, path, "nulls")),
        fillers=frozenset(key(m) for m in require(data["nulls"], "fillers", list, path, "nulls")),
        label_kinds=label_kinds,
        synonyms={key(word): label for word, label in synonyms.items()},
        synonym_blocks=frozenset(n for n, b in blocks.items() if b.get("label_synonyms") is True),
        template_markers=tuple(key(m) for m in require(data["nulls"], "template_markers", list, path, "nulls")),
        noise=noise,
        flat_layouts=tuple(_flat_layout(body, i, path, key, label_kinds)
                           for i, body in enumerate(data.get("flat_rows", []))),
    )


def _flat_layout(body: dict[str, Any], index: int, path: str, key: Any, labels: dict[str, Kind]) -> FlatLayout:
    where = f"flat_rows[{index}]"
    tail = tuple(require(body, "tail", list, path, where))
    kinds = tuple(require(body, "tail_kinds", list, path, where))
    lead = tuple(require(body, "lead", list, path, where))
    _checked_map({label: label for label in (*tail, *lead)}, path, where, labels)
    if len(kinds) != len(tail) or not all(k in Kind._value2member_map_ for k in kinds):
        raise PatternError("E201", path=path, key=f"{where}.tail_kinds", detail="应与 tail 等长，且为 Kind 取值")
    return FlatLayout(require(body, "layout", str, path, where),
                      tuple(key(w) for w in require(body, "header", list, path, where)),
                      tail, tuple(Kind(k) for k in kinds), lead)


def _row_rates(data: dict[str, Any], path: str, labels: dict[str, Kind]) -> frozenset[str]:
    names = data["funding"].get("row_rates", [])
    for name in names:
        if name not in labels:
            raise PatternError("E201", path=path, key="funding.row_rates", detail=f"labels.toml 中没有标签 {name}")
    return frozenset(names)


def _noise(data: dict[str, Any], path: str) -> re.Pattern[str] | None:
    written = data["normalize"].get("noise", "")
    if not isinstance(written, str):
        raise PatternError("E201", path=path, key="normalize.noise", detail="应为正则表达式字符串")
    try:
        return re.compile(written) if written else None
    except re.error as exc:
        raise PatternError("E201", path=path, key="normalize.noise", detail=f"正则表达式错误：{exc}") from None


def _traditional(data: dict[str, Any], path: str) -> dict[int, str]:
    pairs = require(require(data, "normalize", dict, path, "(root)"), "traditional", str, path, "normalize")
    pairs = _SPACE.sub("", pairs)
    if len(pairs) % 2:
        raise PatternError("E201", path=path, key="normalize.traditional", detail="应为成对的繁简字符")
    return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}


def _kinds(data: dict[str, Any], path: str, key: Any, blocks: dict[str, Any]) -> tuple[TableKind, ...]:
    kinds = []
    for name, body in require(data, "kinds", dict, path, "(root)").items():
        where = f"kinds.{name}"
        block_names = tuple(require(body, "blocks", list, path, where))
        for block in block_names:
            if block not in blocks:
                raise PatternError("E201", path=path, key=f"{where}.blocks", detail=f"未知的 block {block}")
        kinds.append(TableKind(
            name=name,
            titles=tuple(key(t) for t in require(body, "titles", list, path, where)),
            words=tuple(key(w) for w in require(body, "words", list, path, where)),
            min_words=require(body, "min_words", int, path, where),
            annex_number=body.get("annex_number"),
            blocks=block_names,
        ))
    return tuple(kinds)


def _column(body: dict[str, Any], index: int, path: str, blocks: dict[str, Any], labels: dict[str, Kind]) -> ColumnSpec:
    where = f"columns[{index}]"
    block = require(body, "block", str, path, where)
    if block not in blocks:
        raise PatternError("E201", path=path, key=f"{where}.block", detail=f"未知的 block {block}")
    try:
        pattern = re.compile(require(body, "match", str, path, where))
    except re.error as exc:
        raise PatternError("E201", path=path, key=f"{where}.match", detail=f"正则表达式错误：{exc}") from None
    field, measure, role = body.get("field", ""), body.get("measure", ""), body.get("role", "")
    if bool(role) == bool(field or measure):
        raise PatternError("E201", path=path, key=where, detail="须有 field 或 measure（可同时有），或只有 role")
    if field and field not in labels:
        raise PatternError("E201", path=path, key=f"{where}.field", detail=f"labels.toml 中没有标签 {field}")
    if measure and measure not in MEASURES:
        raise PatternError("E201", path=path, key=f"{where}.measure", detail=f"应为 {', '.join(MEASURES)} 之一")
    if role and role not in COLUMN_ROLES:
        raise PatternError("E201", path=path, key=f"{where}.role", detail=f"应为 {', '.join(COLUMN_ROLES)} 之一")
    return ColumnSpec(block, pattern, field, measure, role, body.get("relative_year"))


def _rows(data: dict[str, Any], path: str, key: Any, blocks: dict[str, Any], labels: dict[str, Kind]) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for block, mapping in require(data, "rows", dict, path, "(root)").items():
        if block not in blocks:
            raise PatternError("E201", path=path, key=f"rows.{block}", detail="未知的 block")
        checked = _checked_map(mapping, path, f"rows.{block}", labels)
        rows[block] = {key(k): v for k, v in checked.items()}
    return rows


def _checked_map(mapping: dict[str, Any], path: str, where: str, labels: dict[str, Kind]) -> dict[str, str]:
    for name, label in mapping.items():
        if not isinstance(label, str) or label not in labels:
            raise PatternError("E201", path=path, key=f"{where}.{name}", detail=f"labels.toml 中没有标签 {label}")
    return dict(mapping)


def _parents(data: dict[str, Any], path: str, labels: dict[str, Kind]) -> dict[str, tuple[str, ...]]:
    parents: dict[str, tuple[str, ...]] = {}
    for child, chain in require(data, "parents", dict, path, "(root)").items():
        for label in [child, *chain]:
            if label not in labels:
                raise PatternError("E201", path=path, key=f"parents.{child}", detail=f"labels.toml 中没有标签 {label}")
        parents[child] = tuple(chain)
    return parents


def _inline_measure(data: dict[str, Any], path: str) -> str:
    measure: str = require(require(data, "funding", dict, path, "(root)"), "inline_measure", str, path, "funding")
    if measure and measure not in MEASURES:
        raise PatternError("E201", path=path, key="funding.inline_measure", detail=f"应为 {', '.join(MEASURES)} 之一或空")
    return measure


def _rate_labels(data: dict[str, Any], path: str, labels: dict[str, Kind]) -> frozenset[str]:
    names = require(require(data, "roles", dict, path, "(root)"), "rate", list, path, "roles")
    return frozenset(_checked_map({name: name for name in names}, path, "roles.rate", labels))
