"""The Patterns bundle: every file of patterns/ loaded and validated once, before any work;
and every label id and rule id the Python code names exists in the data."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.datafiles import DEFAULT_PATTERNS_DIR, patterns_hash
from extractor.errors import PatternError
from extractor.patterns import load_patterns
from extractor.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "extractor"
DOTTED = re.compile(r"^[a-z][a-z_0-9]*\.[a-z_0-9]+(#[a-z_]+)?$")
FILES = (".toml", ".jsonl", ".json", ".csv", ".xlsx", ".html", ".sqlite")
ERROR_CALLS = {"PatternError", "fail", "_fail", "_error", "_compile", "compile_pattern", "require"}


def error_keys(tree: ast.AST) -> set[int]:
    """The string constants that are TOML key paths in an error (key="funding.inline_measure")."""
    keys: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", "") or getattr(node.func, "attr", "")
            args = [*node.args, *(k.value for k in node.keywords)] if name in ERROR_CALLS else []
            args += [k.value for k in node.keywords if k.arg == "key"]
            keys.update(id(a) for a in args if isinstance(a, ast.Constant))
    return keys


def broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "patterns"
    shutil.copytree(DEFAULT_PATTERNS_DIR, folder)
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_bundle_holds_every_piece_and_the_folder_hash():
    bundle = load_patterns()
    pieces = (bundle.headings, bundle.annex, bundle.checks, bundle.scoring, bundle.grouping, bundle.letter)
    assert all(piece is not None for piece in pieces)
    assert bundle.hash == patterns_hash(DEFAULT_PATTERNS_DIR) and len(bundle.hash) == 64
    assert bundle.checks.labels is bundle.labels  # one labels.toml reading for everyone
    assert bundle.display("funding.total") == bundle.labels["funding.total"].display


@pytest.mark.parametrize(
    ("name", "old", "new", "key"),
    [
        ("checks.toml", 'kind = "sum"', 'kind = "summ"', "rule.sum.basic.kind"),
        ("scoring.toml", 'threshold = "0.20"', 'threshold = "a fifth"', "params.threshold"),
        ("headings.toml", "[limits]", "[limitz]", "limits"),
        ("grouping.toml", "[words]", "[wordz]", "words"),
        ("letter.toml", "[actions]", "[actionz]", "actions"),
    ],
)
def test_a_broken_file_stops_batch_before_any_work(tmp_path, capsys, name, old, new, key):
    folder = broken_copy(tmp_path, name, old, new)
    out = tmp_path / "out"
    code = main(["batch", "--patterns", str(folder), str(ROOT / "samples" / "batch"), "-o", str(out), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith("[E201]") and name in err[0] and key in err[0]
    assert not out.exists()  # not one submission was read


def test_patterns_option_also_goes_before_the_command(tmp_path, capsys):
    folder = broken_copy(tmp_path, "labels.toml", "[labels", "[labelz")
    code = main(["--patterns", str(folder), "read", str(ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx")])
    assert code == 2 and "labels.toml" in capsys.readouterr().err


def test_duplicate_synonym_is_one_error_for_every_reader_of_labels(tmp_path):
    folder = broken_copy(tmp_path, "labels.toml", 'synonyms = ["', 'synonyms = ["在职人员", "')
    with pytest.raises(PatternError, match="已属于"):
        load_patterns(folder)


def python_constants() -> list[tuple[str, int, str]]:
    """(file, line, value) of every dotted string constant in the package, and the keyword
    names of absent(...) calls (label ids written with '__' for '.')."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped, where = error_keys(tree), str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.match(node.value)
                    and not node.value.endswith(FILES) and id(node) not in skipped):
                found.append((where, node.lineno, node.value))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "absent":
                found += [(where, node.lineno, k.arg.replace("__", ".")) for k in node.keywords if k.arg]
    return found


def test_every_label_and_rule_id_named_in_python_is_in_the_data():
    bundle = load_patterns()
    labels = set(bundle.labels)
    rules = {r.id for r in bundle.checks.rules} | set(bundle.scoring.rules())
    label_spaces = {label.split(".")[0] for label in labels}
    rule_spaces = {rule.split(".")[0] for rule in rules}
    assert not label_spaces & rule_spaces  # a dotted name's first part says which it is
    missing = []
    for where, line, value in python_constants():
        name, space = value.partition("#")[0], value.split(".")[0]
        if (space in label_spaces and name not in labels) or (space in rule_spaces and name not in rules):
            missing.append(f"{where}:{line} {value}")
    assert not missing, "named in Python, missing in labels.toml / checks.toml / scoring.toml: " + ", ".join(missing)
    assert len([v for _, _, v in python_constants() if v.split(".")[0] in label_spaces]) >= 60


def test_kind_names_used_in_python_are_registered():
    from extractor.checks.registry import KINDS

    used = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "by_kind":
                used += [a.value for a in node.args if isinstance(a, ast.Constant)]
    assert used and set(used) <= set(KINDS)


def test_patterns_option_reaches_the_checks_and_is_not_left_active(tmp_path):
    from extractor.patterns import active

    sample = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"
    folder = broken_copy(tmp_path, "scoring.toml", '[rules."form.template_left"]\nenabled = true',
                         '[rules."form.template_left"]\nenabled = false')
    before = active()
    rules = {}
    for name, option in (("installed", []), ("copy", ["--patterns", str(folder)])):
        main(["check", *option, str(sample), "-o", str(tmp_path / name)])
        text = (tmp_path / name / "discrepancies.json").read_text(encoding="utf-8")
        rules[name] = set(re.findall(r'"rule": "([^"]+)"', text))
    assert "form.template_left" in rules["installed"]
    assert rules["copy"] == rules["installed"] - {"form.template_left"}
    assert active() is before


def test_patterns_option_words_the_returned_letter(tmp_path):
    import docx

    sample = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"
    folder = broken_copy(tmp_path, "letter.toml", 'signature = "绩效自评报告审核组"', 'signature = "另一个审核组"')
    assert main(["check", "--patterns", str(folder), "--annotate", str(sample), "-o", str(tmp_path / "out")]) == 0
    letter = next((tmp_path / "out").rglob("审核意见.docx"))
    assert docx.Document(str(letter)).paragraphs[-1].text == "另一个审核组"


@pytest.mark.parametrize("command", ["read", "batch"])
def test_patterns_option_reaches_the_readers_headings(tmp_path, command):
    """A copy whose numbered and bold headings may be 1 character long: 一、单位基本情况 is a
    paragraph then, in `read` and in the batch worker's reading (the facts' section paths)."""
    folder = broken_copy(tmp_path, "headings.toml", "major_max_chars = 40", "major_max_chars = 1")
    text = (folder / "headings.toml").read_text(encoding="utf-8")
    (folder / "headings.toml").write_text(text.replace("bold_max_chars = 25", "bold_max_chars = 1"), encoding="utf-8")
    unit = ROOT / "samples" / "batch" / "清溪县财政局"
    source = unit / "清溪县财政局2024年度部门整体支出绩效自评报告.pdf"
    texts = {}
    for name, option in (("installed", []), ("copy", ["--patterns", str(folder)])):
        if command == "read":  # the reader's own argument, no bundle activated
            headings = load_patterns(folder).headings if option else None
            texts[name] = repr(read_document(source, unit, headings).blocks)
        else:
            main(["batch", *option, str(unit), "-o", str(tmp_path / name), "-q"])
            texts[name] = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / name / "facts").glob("*.json"))
    heading = "一、单位基本情况"  # text of its block, and the section path of those below it
    assert texts["copy"].count(heading) < texts["installed"].count(heading)


def test_check_and_extract_never_fall_back_to_the_process_bundle(tmp_path, monkeypatch, capsys):
    """Every piece reaches readers, extraction, checks, scoring and the letter as an argument:
    a command that asked extractor.patterns.active() for one would fail here."""
    import extractor.patterns

    def no_fallback():
        raise AssertionError("a piece was taken from patterns.active()")

    monkeypatch.setattr(extractor.patterns, "active", no_fallback)
    sample = ROOT / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"
    assert main(["--debug", "check", "--annotate", str(sample), "-o", str(tmp_path / "out")]) == 0
    assert main(["--debug", "extract", str(sample), "-o", str(tmp_path / "facts")]) == 0
    assert main(["--debug", "read", str(sample)]) == 0
