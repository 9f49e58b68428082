"""The cached phrase table gives the spaCy pipeline's spans, in its order; the cache is
keyed, rebuilt when unreadable, and a warm `check` never imports spaCy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.datafiles import patterns_hash
from extractor.narrative import pipeline_cache
from extractor.narrative.facts import build_nlp, scan_text, split_spans
from extractor.narrative.pipeline_cache import PhraseMatcher, cache_key, phrase_matcher, spacy_trie
from extractor.patterns import load_patterns
from extractor.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"


@pytest.fixture(scope="module")
def patterns():
    return load_patterns()


def _spans(doc, offsets):
    return [list(block) for block in split_spans(doc, offsets)]


def test_table_spans_equal_the_spacy_pipelines(patterns):
    blocks = [scan_text(b.text) for b in read_document(SAMPLE).blocks]
    tables = [" ".join(str(c.text) for c in t.cells) for t in read_document(SAMPLE).tables]
    texts = blocks + tables + ["增加增长上升", "重复重复重复", ""]  # adjacent and overlapping phrases
    joined = "\n".join(texts)
    offsets, position = [], 0
    for text in texts:
        offsets.append(position)
        position += len(text) + 1
    theirs = _spans(build_nlp(patterns)(joined), offsets)
    ours = _spans(PhraseMatcher(spacy_trie(patterns.span_patterns))(joined), offsets)
    assert ours == theirs
    assert sum(map(len, ours)) > 100


def test_same_phrase_under_two_labels_keeps_spacys_order():
    rows = [{"label": "B", "id": "x", "pattern": "预算"}, {"label": "A", "id": "y", "pattern": "预算"},
            {"label": "A", "id": "y", "pattern": "预算"}, {"label": "A", "id": "z", "pattern": "预算执行"}]
    doc = _spacy_ruler(rows)("年度预算执行")
    nlp_spans = [(s.label_, s.id_, s.start, s.end) for s in doc.spans["ruler"]]
    ours = [(s.label_, s.id_, s.start, s.end) for s in PhraseMatcher(spacy_trie(rows))("年度预算执行")
            .spans["ruler"]]
    assert ours == nlp_spans
    assert len(ours) == 3  # the repeated row counted once


def _spacy_ruler(rows):
    import spacy

    from extractor.narrative.facts import CharTokenizer

    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("span_ruler", config={"spans_key": "ruler"}).add_patterns(rows)
    return nlp


def test_cache_is_written_once_keyed_and_rebuilt_when_broken(tmp_path, monkeypatch, patterns):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    digest = patterns_hash()
    first = phrase_matcher(patterns.span_patterns, digest)
    path = tmp_path / "extractor" / f"matcher-{cache_key(digest)}.json"
    assert path.is_file() and not list(path.parent.glob("*.tmp"))
    assert json.loads(path.read_bytes()) == first.trie
    assert cache_key(digest) != cache_key("another pattern set")
    path.write_bytes(b'{"truncated')
    again = phrase_matcher(patterns.span_patterns, digest)
    assert again.trie == first.trie
    assert json.loads(path.read_bytes()) == first.trie  # replaced by a whole file


def test_loaded_table_is_used_without_building(tmp_path, monkeypatch, patterns):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    digest = patterns_hash()
    built = phrase_matcher(patterns.span_patterns, digest)

    def refuse(_rows):
        raise AssertionError("built again although the cache holds the table")

    monkeypatch.setattr(pipeline_cache, "spacy_trie", refuse)
    assert phrase_matcher(patterns.span_patterns, digest).trie == built.trie


def test_warm_check_does_not_import_spacy(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    code = ("import sys\nfrom extractor.cli import main\n"
            f"main(['check', {str(SAMPLE)!r}, '-o', sys.argv[1]])\n"
            "print('spacy' in sys.modules, 'numpy' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"out{i}")], check=False, env=env, cwd=tmp_path,
                           capture_output=True, text=True) for i in range(2)]
    assert runs[0].stdout.split()[-2:] == ["True", "True"]  # the first run builds the table with spaCy
    assert runs[1].stdout.split()[-2:] == ["False", "False"], runs[1].stderr
    for name in ("discrepancies.json", "report.html"):
        assert (tmp_path / "out0" / name).read_bytes() == (tmp_path / "out1" / name).read_bytes()
