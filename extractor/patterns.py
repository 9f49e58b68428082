"""The Patterns bundle: every file of patterns/ loaded and validated ONCE (load_patterns),
then handed to whoever reads it: readers (headings), narrative extraction (quantities,
labels, entities), annex (annex spec), checks (check and scoring rules), batch grouping,
annotate (the 审核意见 letter's wording, letter.toml: loaded here, a light TOML read, so
validating it does not import annotate/, python-docx or report/ at start-up).

Every problem is a PatternError naming the file and the key, raised at load time so a
bad edit by the domain team fails the run at once rather than silently matching nothing.
labels.toml is read here only (load_labels): a synonym claimed by two labels is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .datafiles import load_jsonl, load_toml, patterns_dir, patterns_hash, require
from .errors import PatternError
from .model import Family, Kind

if TYPE_CHECKING:  # the pieces' types belong to the layers that read them
    from .annex.spec import AnnexSpec
    from .batch.vocabulary import Vocabulary
    from .checks.rules import RuleSet
    from .checks.scoring_rules import ScoringRules
    from .readers.structure import HeadingRules

QUANTITIES = "quantities.toml"
LABELS = "labels.toml"
ENTITIES = "entities.jsonl"
LETTER = "letter.toml"
LETTER_KEYS = ("title", "intro", "no_findings", "marked", "closing", "signature", "not_exact", "corrected",
               "no_place", "no_place_marked")
# what a figure measures (model.Fact.measure); a LABEL id may carry one: "funding.total#executed"
MEASURES = frozenset({"", "budget", "final", "initial_budget", "adjusted_budget", "executed"})
REFERENCE = regex.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# span labels entities.jsonl may use; LABEL / LABEL_AFTER ids must be label ids
SPAN_LABELS = frozenset({"LABEL", "LABEL_AFTER", "DIRECTION", "BASE", "SHARE", "RATE", "QIZHONG",
                         "TOTAL", "PRIOR", "REASON", "MODIFIER"})


@dataclass(frozen=True)
class Rule:
    name: str  # "quantity.MONEY", "non_quantity.YEAR"
    pattern: regex.Pattern[str]
    kind: Kind | None  # quantities
    reason: str  # non-quantities
    needs: str = ""  # every match holds one of these characters: a text without any is skipped


@dataclass(frozen=True)
class TextRule:
    name: str  # "text_value.GRADE"
    pattern: regex.Pattern[str]  # with a group named "value"
    label: str


@dataclass(frozen=True)
class Label:
    id: str
    kind: Kind
    display: str
    synonyms: tuple[str, ...]
    role: str = ""  # "rate" when its figures are rates (执行率, 提取率)


@dataclass(frozen=True)
class LetterText:
    """letter.toml: the 审核意见 letter's lines and the action per check family."""

    lines: dict[str, str]
    actions: dict[str, str]

    def action(self, family: str) -> str:
        return self.actions.get(family, self.actions["default"])


@dataclass(frozen=True)
class Patterns:
    rules: tuple[Rule, ...]  # quantities then non-quantities, in file order
    labels: dict[str, Label]
    span_patterns: tuple[dict[str, Any], ...]  # for spaCy's span_ruler: label, id, pattern
    text_rules: tuple[TextRule, ...] = ()
    rate_labels: frozenset[str] = frozenset()  # figures of these labels are rates (执行率, 控制率)
    unit_header: regex.Pattern[str] | None = None  # "单位：万元"; group `unit`
    bare_number: regex.Pattern[str] | None = None  # a number with no unit, read in a header's unit
    # the rest of the bundle (load_patterns fills every one)
    directory: Path | None = None
    hash: str = ""  # sha256 of the folder: the pattern set's identity (batch cache reuse)
    headings: HeadingRules | None = field(default=None, compare=False)
    annex: AnnexSpec | None = field(default=None, compare=False)
    checks: RuleSet | None = field(default=None, compare=False)
    scoring: ScoringRules | None = field(default=None, compare=False)
    grouping: Vocabulary | None = field(default=None, compare=False)
    letter: LetterText | None = field(default=None, compare=False)

    def display(self, label: str) -> str:
        """A label's Chinese name for messages, the id itself when unknown."""
        found = self.labels.get(label)
        return found.display if found is not None else label


def load_patterns(directory: str | Path | None = None) -> Patterns:
    """The whole bundle from `directory` (default: $EXTRACTOR_PATTERNS, else the installed
    patterns/), every file validated; the first problem raises its PatternError (E2xx)."""
    from .annex.spec import load_annex_spec
    from .batch.vocabulary import load_vocabulary
    from .checks import load_rules, load_scoring
    from .readers.structure import load_heading_rules

    root = patterns_dir(directory)
    lexicon = load_lexicon(root)
    annex = load_annex_spec(root, lexicon.labels)
    return replace(
        lexicon, directory=root, hash=patterns_hash(root), headings=load_heading_rules(root), annex=annex,
        rate_labels=lexicon.rate_labels | annex.rate_labels,  # text and tables agree on role
        checks=load_rules(root, lexicon.labels), scoring=load_scoring(root, lexicon.labels),
        grouping=load_vocabulary(root), letter=load_letter_text(root),
    )


_ACTIVE: list[Patterns] = []


def activate(patterns: Patterns) -> Patterns:
    """Make `patterns` the process's bundle (the CLI and each batch worker do, once)."""
    _ACTIVE[:] = [patterns]
    return patterns


@contextmanager
def activated(patterns: Patterns) -> Iterator[Patterns]:
    """`patterns` active for the block, the previous bundle back afterwards (one command)."""
    previous = list(_ACTIVE)
    activate(patterns)
    try:
        yield patterns
    finally:
        _ACTIVE[:] = previous


def active() -> Patterns:
    """The process's bundle: the one the CLI activated, else the default folder's, loaded
    on first use. Kept only as the fallback of a function called with no bundle or piece
    (patterns=None, headings=None, words=None): library callers, benchmarks and the many
    tests that call a reader, an extractor or a check directly. The commands never reach it:
    the CLI, the batch parent and its workers pass every piece down (tests/test_patterns_bundle.py
    fails if `check`, `extract` or `read` asks it)."""
    if not _ACTIVE:
        _ACTIVE.append(load_patterns())
    return _ACTIVE[0]


def load_letter_text(directory: str | Path | None = None) -> LetterText:
    """letter.toml, validated: every line a string, every action key `default` or a model.Family."""
    root = patterns_dir(directory)
    data = load_toml(LETTER, root)
    path = str(root / LETTER)
    lines = {key: require(data, key, str, path, "letter") for key in LETTER_KEYS}
    actions = require(data, "actions", dict, path, "letter")
    require(actions, "default", str, path, "actions")
    families = {f.value for f in Family}
    for key in actions:
        if key != "default" and key not in families:
            raise PatternError("E201", path=path, key=f"actions.{key}", detail="不是检查类别（model.Family）")
        require(actions, key, str, path, "actions")
    return LetterText(lines, dict(actions))


def load_lexicon(directory: str | Path | None = None) -> Patterns:
    """quantities.toml, labels.toml and entities.jsonl: what narrative extraction reads
    (rate_labels: those of role "rate"; load_patterns adds annex.toml's [roles] rate)."""
    root = patterns_dir(directory)
    quantities = load_toml(QUANTITIES, root)
    path = str(root / QUANTITIES)
    fragments = quantity_fragments(quantities, path)
    rules = load_rules(quantities, fragments, path)
    labels = load_labels(root)
    spans = label_span_patterns(labels) + load_entities(root, labels)
    header, bare = load_unit_header(quantities, fragments, path)
    return Patterns(rules=rules, labels=labels, span_patterns=tuple(spans),
                    text_rules=load_text_rules(quantities, fragments, path, labels),
                    rate_labels=frozenset(label.id for label in labels.values() if label.role == "rate"),
                    unit_header=header, bare_number=bare)


def quantity_fragments(data: dict[str, Any], path: str) -> dict[str, str]:
    """[fragments] of quantities.toml, each expanded once for the rules, text rules and unit header."""
    fragments = data.get("fragments", {})
    if not isinstance(fragments, dict):
        raise PatternError("E201", path=path, key="fragments", detail="应为表（table）")
    return expand_fragments(fragments, path)


def load_unit_header(data: dict[str, Any], fragments: dict[str, str],
                     path: str) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """[unit_header] of quantities.toml: the header pattern (group `unit`) and the bare number."""
    spec = data.get("unit_header")
    if spec is None:
        return None, None
    compiled = []
    for key in ("pattern", "bare"):
        source = expand(require(spec, key, str, path, "unit_header"), fragments, path, "unit_header")
        compiled.append(compile_pattern(source, path, f"unit_header.{key}"))
    if "unit" not in compiled[0].groupindex:
        raise PatternError("E201", path=path, key="unit_header.pattern", detail="需要命名分组 (?P<unit>...)")
    return compiled[0], compiled[1]


def load_text_rules(data: dict[str, Any], fragments: dict[str, str], path: str,
                    labels: dict[str, Label]) -> tuple[TextRule, ...]:
    """[text_value] of quantities.toml: figures stated in words, each with a `value` group and a known label."""
    out = []
    for name, spec in data.get("text_value", {}).items():
        where = f"text_value.{name}"
        source = expand(require(spec, "pattern", str, path, where), fragments, path, where)
        pattern = compile_pattern(source, path, f"{where}.pattern")
        if "value" not in pattern.groupindex:
            raise PatternError("E201", path=path, key=f"{where}.pattern", detail="需要命名分组 (?P<value>...)")
        label = require(spec, "label", str, path, where)
        if label not in labels:
            raise PatternError("E201", path=path, key=f"{where}.label", detail=f"未知标签 {label}")
        out.append(TextRule(where, pattern, label))
    return tuple(out)


def load_rules(data: dict[str, Any], fragments: dict[str, str], path: str) -> tuple[Rule, ...]:
    """[quantity] then [non_quantity] of quantities.toml, in file order."""
    rules: list[Rule] = []
    for section, what in (("quantity", "kind"), ("non_quantity", "reason")):
        for name, spec in data.get(section, {}).items():
            where = f"{section}.{name}"
            source = require(spec, "pattern", str, path, where)
            pattern = compile_pattern(expand(source, fragments, path, where), path, f"{where}.pattern")
            value = require(spec, what, str, path, where)
            kind = parse_kind(value, path, f"{where}.kind") if what == "kind" else None
            needs = spec.get("needs", "")
            if not isinstance(needs, str):
                raise PatternError("E201", path=path, key=f"{where}.needs", detail="应为 str")
            rules.append(Rule(where, pattern, kind, value if what == "reason" else "", needs))
    if not rules:
        raise PatternError("E201", path=path, key="quantity", detail="没有任何规则")
    return tuple(rules)


def expand_fragments(fragments: dict[str, Any], path: str) -> dict[str, str]:
    """Every fragment with its {NAME} references resolved; unknown names and cycles rejected."""
    done: dict[str, str] = {}

    def resolve(name: str, stack: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name in stack:
            cycle = " -> ".join((*stack, name))
            raise PatternError("E201", path=path, key=f"fragments.{name}", detail=f"循环引用：{cycle}")
        source = fragments[name]
        if not isinstance(source, str):
            raise PatternError("E201", path=path, key=f"fragments.{name}", detail="应为 str")

        def substitute(match: regex.Match[str]) -> str:
            ref = match.group(1)
            if ref not in fragments:
                raise PatternError("E201", path=path, key=f"fragments.{name}", detail=f"未知片段 {{{ref}}}")
            return resolve(ref, (*stack, name))

        done[name] = REFERENCE.sub(substitute, source)
        compile_pattern(done[name], path, f"fragments.{name}")
        return done[name]

    for fragment in fragments:
        resolve(fragment, ())
    return done


def expand(source: str, fragments: dict[str, str], path: str, where: str) -> str:
    def substitute(match: regex.Match[str]) -> str:
        if match.group(1) not in fragments:
            raise PatternError("E201", path=path, key=f"{where}.pattern", detail=f"未知片段 {match.group(0)}")
        return f"(?:{fragments[match.group(1)]})"

    return REFERENCE.sub(substitute, source)


def compile_pattern(source: str, path: str, key: str) -> regex.Pattern[str]:
    try:
        return regex.compile(source)
    except regex.error as exc:
        raise PatternError("E201", path=path, key=key, detail=f"正则表达式无法编译：{exc}") from None


def parse_kind(value: str, path: str, key: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in Kind)
        raise PatternError("E201", path=path, key=key, detail=f"未知类型 {value!r}（可用：{allowed}）") from None


def load_labels(root: Path) -> dict[str, Label]:
    """labels.toml, the one reader of it: kind, display, synonyms (each owned by one label), role."""
    data = load_toml(LABELS, root)
    path = str(root / LABELS)
    owners: dict[str, str] = {}
    labels: dict[str, Label] = {}
    for label_id, spec in require(data, "labels", dict, path, "").items():
        where = f"labels.{label_id}"
        kind = parse_kind(require(spec, "kind", str, path, where), path, f"{where}.kind")
        synonyms = tuple(require(spec, "synonyms", list, path, where))
        for synonym in synonyms:
            claim_phrase(owners, synonym, label_id, path, f"{where}.synonyms")
        role = spec.get("role", "")
        if role not in ("", "rate"):
            raise PatternError("E201", path=path, key=f"{where}.role", detail=f"未知角色 {role}（可用：rate）")
        labels[label_id] = Label(label_id, kind, str(spec.get("display", label_id)), synonyms, role)
    return labels


def claim_phrase(owners: dict[str, str], phrase: Any, label_id: str, path: str, key: str) -> None:
    if not isinstance(phrase, str) or not phrase:
        raise PatternError("E201", path=path, key=key, detail="同义词应为非空字符串")
    owner = owners.setdefault(phrase, label_id)
    if owner != label_id:
        raise PatternError("E201", path=path, key=key, detail=f"同义词“{phrase}”已属于 {owner}")


def label_span_patterns(labels: dict[str, Label]) -> list[dict[str, Any]]:
    return [{"label": "LABEL", "id": label.id, "pattern": synonym}
            for label in labels.values() for synonym in label.synonyms]


def load_entities(root: Path, labels: dict[str, Label]) -> list[dict[str, Any]]:
    """entities.jsonl rows as span_ruler patterns, each checked for id, label and pattern."""
    path = str(root / ENTITIES)
    owners = {s: label.id for label in labels.values() for s in label.synonyms}
    out: list[dict[str, Any]] = []
    for number, row in enumerate(load_jsonl(ENTITIES, root), start=1):
        where = f"line {number}"
        pattern_id = row.get("id")
        if not isinstance(pattern_id, str) or not pattern_id:
            raise PatternError("E201", path=path, key=f"{where}.id", detail="每个模式都需要 id")
        span_label = require(row, "label", str, path, where)
        if span_label not in SPAN_LABELS:
            raise PatternError("E201", path=path, key=f"{where}.label",
                               detail=f"未知类别 {span_label}（可用：{', '.join(sorted(SPAN_LABELS))}）")
        pattern = row.get("pattern")
        if not isinstance(pattern, (str, list)) or not pattern:
            raise PatternError("E201", path=path, key=f"{where}.pattern", detail="应为字符串或 token 列表")
        if span_label in ("LABEL", "LABEL_AFTER"):
            label_id, _, measure = pattern_id.partition("#")
            if label_id not in labels:
                raise PatternError("E201", path=path, key=f"{where}.id", detail=f"未知标签 {label_id}")
            if measure not in MEASURES:
                raise PatternError("E201", path=path, key=f"{where}.id",
                                   detail=f"未知口径 {measure}（可用：{', '.join(sorted(MEASURES - {''}))}）")
            if span_label == "LABEL" and isinstance(pattern, str):
                claim_phrase(owners, pattern, pattern_id, path, f"{where}.pattern")
        out.append({"label": span_label, "id": pattern_id, "pattern": pattern})
    return out
