"""The narrative phrase matcher, built with spaCy once per pattern set and loaded from the
user's cache on later runs, so a run that finds it there never imports spaCy.

The pipeline is spacy.blank("zh") with one token per character and a span_ruler holding
phrase patterns only; on one-char tokens that finds every occurrence of every phrase,
overlapping ones included. The cache stores it as a table: a trie of the phrases and,
per phrase, its (label, id) pairs with the string hashes spaCy orders equal spans by,
so the spans come out in spaCy's order: (start, end, label hash, id hash).
tests/test_pipeline_cache.py checks the table against the spaCy pipeline.

Cache file: $XDG_CACHE_HOME/extractor (else ~/.cache/extractor) / matcher-<key>.json,
key = sha256 of the patterns hash, the spaCy and extractor versions and this module's
source. Written to
a temporary file and renamed, so parallel starts never read half a file; an unreadable
file is rebuilt. With no writable cache folder the table is built in memory each run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .. import __version__

FORMAT = 1
VERSION = re.compile(r"""__version__\s*=\s*["']([^"']+)["']""")
END = ""  # trie key of the (label, id) entries of the phrase ending at a node


@dataclass(frozen=True, slots=True)
class RulerSpan:
    """One phrase occurrence, as split_spans reads a spaCy Span."""

    start: int
    end: int
    label_: str
    id_: str


@dataclass(slots=True)
class MatchedText:
    """The matcher's answer for one text: its spans under "ruler", like a spaCy Doc's."""

    text: str
    spans: dict[str, list[RulerSpan]]


class PhraseMatcher:
    """Every occurrence of every phrase, in spaCy span_ruler order."""

    def __init__(self, trie: dict[str, Any]) -> None:
        self.trie = trie

    def __call__(self, text: str) -> MatchedText:
        found: list[tuple[int, int, int, int, str, str]] = []
        root = self.trie
        for start in range(len(text)):
            node = root.get(text[start])
            end = start + 1
            while node is not None:
                for label_hash, id_hash, label, span_id in node.get(END, ()):
                    found.append((start, end, label_hash, id_hash, label, span_id))
                if end == len(text):
                    break
                node = node.get(text[end])
                end += 1
        found.sort()
        return MatchedText(text, {"ruler": [RulerSpan(s, e, label, span_id) for s, e, _, _, label, span_id in found]})


def build_trie(patterns: Iterable[Mapping[str, Any]], string_id: Callable[[str], int]) -> dict[str, Any]:
    """The phrase trie; `string_id` is spaCy's StringStore.add (a symbol's id, else the
    string's hash; the empty id is 0)."""
    trie: dict[str, Any] = {}
    for entry in patterns:
        phrase, label, span_id = entry["pattern"], entry["label"], entry.get("id", "")
        if not isinstance(phrase, str) or not phrase:
            raise ValueError(f"not a phrase pattern: {entry!r}")
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        entries = node.setdefault(END, [])
        item = [string_id(label), string_id(span_id), label, span_id]
        if item not in entries:
            entries.append(item)
    return trie


def spacy_trie(patterns: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    from spacy.strings import StringStore

    return build_trie(patterns, StringStore().add)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "extractor"


def spacy_version() -> str:
    """spaCy's version from its about.py, without importing spaCy (or importlib.metadata,
    which alone costs more than loading the table)."""
    spec = find_spec("spacy")
    if spec is None or not spec.origin:
        return "none"
    try:
        about = (Path(spec.origin).parent / "about.py").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    found = VERSION.search(about)
    return found.group(1) if found else "unknown"


def cache_key(patterns_hash: str) -> str:
    builder = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this module's code
    text = f"{FORMAT}|{patterns_hash}|spacy {spacy_version()}|extractor {__version__}|{builder}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def phrase_matcher(span_patterns: Iterable[Mapping[str, Any]], patterns_hash: str) -> PhraseMatcher:
    """The matcher for this pattern set: from the cache, else built (with spaCy) and cached;
    a pattern set without a hash (put together in code) is built and not cached."""
    if not patterns_hash:
        return PhraseMatcher(spacy_trie(span_patterns))
    path = cache_dir() / f"matcher-{cache_key(patterns_hash)}.json"
    try:
        trie = json.loads(path.read_bytes())
        if isinstance(trie, dict):
            return PhraseMatcher(trie)
    except (OSError, ValueError):
        pass
    trie = spacy_trie(span_patterns)
    _write_atomic(path, json.dumps(trie, ensure_ascii=False, sort_keys=True).encode())
    return PhraseMatcher(trie)


def _write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, then rename: a reader sees the old file or the new one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return  # no writable cache folder: build each run
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
