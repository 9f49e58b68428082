"""The sample corpus agrees with its truth files: every figure is where truth.json says, every
plant is inconsistent beyond rounding, every other figure set is consistent by the interval
rule (domain.md §5), and the generator is byte-deterministic. No LibreOffice needed."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from docx.table import _Cell

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BATCH = SAMPLES / "batch"
EXACT_KINDS = {"headcount", "count", "score"}
REASONS = {"退休", "离职", "调出", "新进"}


@cache
def truth(path: Path = BATCH / "truth.json") -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def submissions() -> list[dict]:
    return truth()["submissions"]


# ---- reading the files back ----------------------------------------------------------------


@cache
def docx_doc(path: Path):
    return docx.Document(str(path))


@cache
def docx_grid(path: Path, table: int) -> dict[tuple[int, int], str]:
    tbl = docx_doc(path).tables[table]
    cells, open_v = {}, {}
    for r, tr in enumerate(tbl._tbl.tr_lst):
        col = tr.grid_before
        for tc in tr.tc_lst:
            if tc.vMerge == "continue" and col in open_v:
                pass
            else:
                cells[(r, col)] = _Cell(tc, tbl).text
                if tc.vMerge == "restart":
                    open_v[col] = True
                else:
                    open_v.pop(col, None)
            col += tc.grid_span
    return cells


@cache
def pdf_text(path: Path) -> str:
    with pdfplumber.open(str(path)) as pdf:
        text = "".join(page.dedupe_chars().extract_text() or "" for page in pdf.pages)
    return "".join(text.split())


@cache
def workbook(path: Path):
    return openpyxl.load_workbook(str(path))


def found(base: Path, record: dict) -> bool:
    path, where, raw = base / record["file"], record["where"], record["raw"]
    if path.suffix == ".pdf":
        if record["value"] is None and len(raw) > 12:
            return True  # long cell text: flattened PDF text interleaves side-by-side cells
        return "".join(raw.split()) in pdf_text(path)
    if path.suffix == ".xlsx":
        cell = workbook(path)[where["sheet"]][where["cell"]]
        if isinstance(cell.value, str):
            return raw in cell.value
        number = Decimal(raw.replace(",", "").rstrip("%"))
        value = Decimal(str(cell.value)) * (100 if raw.endswith("%") else 1)
        places = len(raw.rstrip("%").split(".")[1]) if "." in raw else 0
        return abs(value - number) < Decimal("1e-9") and cell.number_format.count("0") - 1 == places
    if where["part"] == "narrative" and "table" in where:  # a report written inside one big table
        cell = docx_doc(path).tables[where["table"]].cell(where["row"], where["col"])
        text = cell.paragraphs[where["paragraph"]].text
        return text[where["char"] : where["char"] + len(raw)] == raw
    if where["part"] == "narrative":
        text = docx_doc(path).paragraphs[where["paragraph"]].text
        return text[where["char"] : where["char"] + len(raw)] == raw
    return raw in docx_grid(path, where["table"])[(where["row"], where["col"])]


@pytest.mark.parametrize("base", [BATCH, SAMPLES / "yiyang_hpf_2024"], ids=["batch", "yiyang"])
def test_every_figure_is_where_truth_says(base):
    subs = truth(base / "truth.json")["submissions"]
    missing = [(r["file"], r["where"], r["raw"]) for s in subs for r in s["figures"] if not found(base, r)]
    assert sum(len(s["figures"]) for s in subs) > 300
    assert not missing, missing[:5]


PROJECT_ROLES = {"report", "project_self_eval"}  # a 项目支出 report asks for its 自评表, not 附件1/附件2


def test_every_listed_file_exists_and_roles_complete():
    for sub in submissions():
        roles = {f["role"] for f in sub["files"]}
        assert roles == (PROJECT_ROLES if sub["layout"] == "project" else {"report", "annex1", "annex2"}), sub["code"]
        for f in sub["files"]:
            assert (BATCH / f["path"]).is_file(), f["path"]


# ---- the interval rule -----------------------------------------------------------------------


def interval(record: dict) -> tuple[Decimal, Decimal]:
    value = Decimal(record["value"])
    if record["kind"] in EXACT_KINDS or record["decimals"] is None:
        return value, value
    half = Decimal(5).scaleb(-record["decimals"] - 1)
    return value - half, value + half


def add(*ivs):
    return sum((i[0] for i in ivs), Decimal(0)), sum((i[1] for i in ivs), Decimal(0))


def ratio(part, whole):
    return part[0] * 100 / whole[1], part[1] * 100 / whole[0]


def overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def signed(record: dict) -> tuple[Decimal, Decimal]:
    lo, hi = interval(record)
    return (lo, hi) if record.get("direction") == "increase" else (-hi, -lo)


class Facts:
    def __init__(self, sub: dict):
        self.sub = sub

    def get(self, part, label, role="value", measure=None, subject=None) -> list[dict]:
        return [
            r
            for r in self.sub["figures"]
            if r["where"]["part"] == part
            and r["label"] == label
            and r["role"] == role
            and (measure is None or r["measure"] == measure)
            and (subject is None or r["subject"] == subject)
        ]

    def one(self, *args, **kw) -> dict | None:
        hits = self.get(*args, **kw)
        return hits[0] if hits else None


def relations(sub: dict, prev: dict | None):
    """Yield (family, figures, holds) for every check a reviewer would run on this unit-year."""
    f = Facts(sub)
    yield from _sums(f)
    if sub.get("layout") == "project":
        yield from _project(f)
        return
    yield from _annex2(f)
    yield from _shares(f)
    yield from _buildings(f)
    yield from _text_vs_annex(f)
    yield from _changes(f, Facts(prev) if prev else None)


def _equal(family, total, parts):
    parts = [p for p in parts if p]
    if total and parts:
        yield family, [total, *parts], overlap(interval(total), add(*map(interval, parts)))


def _sums(f: Facts):
    n = "narrative"
    yield from _equal(
        "sum",
        f.one(n, "expenditure.basic"),
        [f.one(n, "expenditure.personnel"), f.one(n, "expenditure.public")],
    )
    yield from _equal("sum", f.one(n, "staff.total"), [f.one(n, "staff.active"), f.one(n, "staff.retired")])
    for part, kw in (
        (n, {}),
        ("annex1", {"measure": "final"}),
        ("annex1", {"measure": "budget"}),
        ("annex1", {"role": "prior"}),
    ):
        yield from _equal(
            "sum",
            f.one(part, "three_public.total", **kw),
            [f.one(part, f"three_public.{k}", **kw) for k in ("vehicle", "overseas", "reception")],
        )
        yield from _equal(
            "sum",
            f.one(part, "three_public.vehicle", **kw),
            [f.one(part, f"three_public.vehicle_{k}", **kw) for k in ("purchase", "operation")],
        )
        yield from _equal(
            "sum", f.one(part, "expenditure.project", **kw), f.get(part, "expenditure.project.item", **kw)
        )
    if f.sub.get("layout") == "table_prose":
        yield from _named_count(f, f.one(n, "org.departments"))
    count = f.one(n, "expenditure.project.count")
    if count:
        items = f.get(n, "expenditure.project.item")
        yield "count", [count, *items], Decimal(count["value"]) == len(items)


def _annex2(f: Facts, a: str = "annex2"):
    total = f.one(a, "funding.total", measure="executed")
    for head, parts in (
        ("funding.income_total", ("general_budget", "gov_fund", "non_tax", "other")),
        ("funding.expense_total", ("basic", "project")),
    ):
        split = f.one(a, head)
        yield from _equal("funding_split", split, [f.one(a, f"funding.{p}") for p in parts])
        yield from _equal("funding_split", total, [split])
    for m in ("initial_budget", "adjusted_budget", "executed"):
        carryover = f.one(a, "funding.carryover", measure=m)  # national 项目支出绩效自评表 rows
        if carryover:
            parts = [
                carryover,
                f.one(a, "funding.general_budget", measure=m),
                f.one(a, "funding.other", measure=m),
            ]
            yield from _equal("funding_split", f.one(a, "funding.total", measure=m), parts)
    rate, score, points = (
        f.one(a, "budget.execution_rate", "rate"),
        f.one(a, "budget.score"),
        f.one(a, "budget.points"),
    )
    adjusted = f.one(a, "funding.total", measure="adjusted_budget")
    yield from _rate("score", rate, total, adjusted)
    yield "score", [score, points], Decimal(score["value"]) <= Decimal(points["value"])
    yield (
        "score",
        [score, rate],
        overlap(
            interval(score),
            (interval(rate)[0] / 10 - Decimal("0.005"), interval(rate)[1] / 10 + Decimal("0.005")),
        ),
    )
    for s, p in zip(f.get(a, "indicator.score"), f.get(a, "indicator.points")):
        yield "score", [s, p], Decimal(s["value"]) <= Decimal(p["value"])
    yield from _equal("score", f.one(a, "evaluation.total_score"), [score, *f.get(a, "indicator.score")])
    yield from _equal("score", f.one(a, "evaluation.total_points"), [points, *f.get(a, "indicator.points")])


def _project(f: Facts):
    """A 项目支出 report: its 自评表 as annex 2, 结余 = 上年结转 + 收入 − 支出, the 其中 sources of
    到位资金, the towns counted against those named, and the text against the 自评表."""
    yield from _annex2(f, "project_self_eval")
    t, n = "funding_table", "narrative"
    income, expense, carry = (f.one(t, k) for k in ("project.income_total", "project.expense_total", "funding.carryover"))
    balance = f.one(t, "project.balance")
    yield "sum", [balance, income, expense, carry], overlap(
        interval(balance), add(interval(carry), interval(income), _neg(expense)))
    yield from _equal("sum", f.one(n, "", subject="到位资金"),
                      [f.one(n, "", subject=s) for s in ("上级补助资金", "县级财政资金")] + [f.one(n, "funding.carryover")])
    a = "project_self_eval"
    for m in ("initial_budget", "adjusted_budget", "executed"):  # Yunnan rows 总额 = 财政资金 + 单位资金
        if not f.one(a, "funding.carryover", measure=m):
            yield from _equal("funding_split", f.one(a, "funding.total", measure=m),
                              [f.one(a, k, measure=m) for k in ("funding.general_budget", "funding.other")])
    yield from _rate("share", f.one(n, "", "rate", subject="资金到位率"), f.one(n, "", subject="上级补助资金实际到位"),
                     f.one(n, "", subject="上级补助资金下达计划"))
    yield from _rate("share", f.one(n, "budget.execution_rate", "rate"), f.one(n, "funding.total", measure="executed"),
                     f.one(n, "funding.total", measure="adjusted_budget"))
    for m in ("initial_budget", "adjusted_budget", "executed"):
        text, table = f.one(n, "funding.total", measure=m), f.one("project_self_eval", "funding.total", measure=m)
        yield "text_vs_annex", [text, table], overlap(interval(text), interval(table))
    yield from _named_count(f, f.one(n, "", subject="乡镇"))


def _named_count(f: Facts, count: dict | None):
    """"N个，即 A、B、C": the count against the names written after it in its paragraph."""
    if count is None:
        return
    where = count["where"]
    path = BATCH / count["file"]
    if "table" in where:
        text = docx_doc(path).tables[where["table"]].cell(where["row"], where["col"]).paragraphs[where["paragraph"]].text
    else:
        text = docx_doc(path).paragraphs[where["paragraph"]].text
    rest = text[where["char"] + len(count["raw"]):]
    names = rest.split("即" if "即" in rest else "为" if "分别为" in rest else "包括")[1].split("，")[0].split("。")[0]
    yield "count", [count], Decimal(count["value"]) == len(names.split("、"))


def _shares(f: Facts):
    n = "narrative"
    total = f.one(n, "expenditure.project")
    for share in f.get(n, "expenditure.project.item", "share"):
        item = f.one(n, "expenditure.project.item", subject=share["subject"])
        yield "share", [share, item, total], overlap(interval(share), ratio(interval(item), interval(total)))
    yield from _rate(
        "share",
        f.one("annex1", "staff.control_rate", "rate"),
        f.one("annex1", "staff.active"),
        f.one("annex1", "staff.authorized"),
    )
    yield from _rate(
        "share",
        f.one(n, "budget.execution_rate", "rate"),
        f.one(n, "funding.total", measure="executed"),
        f.one(n, "funding.total", measure="adjusted_budget"),
    )


def _buildings(f: Facts):
    b = "building."
    yield from _rate(
        "share",
        f.one("annex1", b + "area_control_rate", "rate"),
        f.one("annex1", b + "actual_area"),
        f.one("annex1", b + "approved_area"),
    )
    yield from _rate(
        "share",
        f.one("annex1", b + "investment_control_rate", "rate"),
        f.one("annex1", b + "actual_investment"),
        f.one("annex1", b + "budget_investment"),
    )


def _rate(family, rate, part, whole):
    if rate and part and whole:
        yield family, [rate, part, whole], overlap(interval(rate), ratio(interval(part), interval(whole)))


def _text_vs_annex(f: Facts):
    n = "narrative"
    pairs = [
        (f.one(n, label), f.one("annex1", label, measure="final"))
        for label in (
            "three_public.total",
            "three_public.vehicle",
            "three_public.reception",
            "expenditure.project",
            "expenditure.public",
            "three_public.vehicle_purchase",
            "three_public.vehicle_operation",
        )
    ]
    pairs += [(f.one(n, "staff.active"), f.one("annex1", "staff.active"))]
    pairs += [
        (item, f.one("annex1", "expenditure.project.item", measure="final", subject=item["subject"]))
        for item in f.get(n, "expenditure.project.item")
    ]
    pairs += [
        (f.one(n, "funding.total", measure=m), f.one("annex2", "funding.total", measure=m))
        for m in ("executed", "adjusted_budget")
    ]
    pairs += [
        (f.one(n, "expenditure.basic"), f.one("annex2", "funding.basic")),
        (f.one(n, "expenditure.project"), f.one("annex2", "funding.project")),
        (f.one(n, "budget.execution_rate", "rate"), f.one("annex2", "budget.execution_rate", "rate")),
        (f.one(n, "evaluation.total_score"), f.one("annex2", "evaluation.total_score")),
    ]
    for text, annex in pairs:
        if text and annex:
            yield "text_vs_annex", [text, annex], overlap(interval(text), interval(annex))


def _changes(f: Facts, prev: Facts | None):
    n = "narrative"
    for change in [r for r in f.sub["figures"] if r["role"] == "change" and r["label"]]:
        label = change["label"]
        if change["where"]["part"] != n or change["subject"] in REASONS:
            continue
        now = f.one(n, label)
        before = f.one("annex1", label, "prior")
        if now and before:
            yield "change", [change, now, before], overlap(signed(change), add(interval(now), _neg(before)))
        if prev and label.startswith("staff") or (prev and label == "budget.execution_rate"):
            role = "rate" if label == "budget.execution_rate" else "value"
            now, before = f.one(n, label, role), prev.one(n, label, role)
            if now and before:
                yield (
                    "cross_year",
                    [change, now, before],
                    overlap(signed(change), add(interval(now), _neg(before))),
                )
    active_change = [r for r in f.get(n, "staff.active", "change") if r["subject"] not in REASONS]
    reasons = [r for r in f.get(n, "staff.active", "change") if r["subject"] in REASONS]
    if active_change and reasons:
        yield (
            "change",
            [active_change[0], *reasons],
            overlap(signed(active_change[0]), add(*map(signed, reasons))),
        )
    if prev:
        for prior in [r for r in f.sub["figures"] if r["role"] == "prior"]:
            last = prev.one("annex1", prior["label"], measure="final", subject=prior["subject"])
            if last:
                yield "cross_year", [prior, last], overlap(interval(prior), interval(last))


def _neg(record):
    lo, hi = interval(record)
    return -hi, -lo


def all_relations():
    by_key = {(s["code"], s["year"]): s for s in submissions()}
    for sub in submissions():
        prev = by_key.get((sub["code"], sub["year"] - 1))
        for family, figs, holds in relations(sub, prev):
            yield sub, family, figs, holds


def test_unplanted_figures_are_consistent_by_the_interval_rule():
    planted = {f["id"] for s in submissions() for p in s["plants"] for f in p["figures"] if f["planted"]}
    checked, stray = 0, []
    for sub, family, figs, holds in all_relations():
        checked += 1
        if not holds and not planted & {r["id"] for r in figs}:
            stray.append((sub["code"], sub["year"], family, [r["raw"] for r in figs]))
    assert checked > 1000
    assert not stray, stray[:5]


def test_yiyang_annexes_agree_with_its_narrative():
    sub = truth(SAMPLES / "yiyang_hpf_2024" / "truth.json")["submissions"][0]
    docx_only = {**sub, "figures": [r for r in sub["figures"] if r["file"] == "yiyang_hpf_2024.docx"]}
    results = list(relations(docx_only, None))
    assert len(results) > 60
    assert [(fam, [r["raw"] for r in figs]) for fam, figs, holds in results if not holds] == []
    shares = Facts(docx_only).get("narrative", "expenditure.project.item", "share")
    assert sum(Decimal(r["value"]) for r in shares) == Decimal("100.03")


def test_each_plant_breaks_a_check_beyond_rounding():
    broken = defaultdict(set)
    for sub, family, figs, holds in all_relations():
        if not holds:
            for r in figs:
                broken[r["id"]].add(family)
    plants = [p for s in submissions() for p in s["plants"]]
    families = defaultdict(int)
    for plant in plants:
        ids = [f["id"] for f in plant["figures"] if f["planted"]]
        assert ids and any(broken[i] for i in ids), plant["id"]
        families[plant["family"]] += 1
    assert set(families) == {
        "sum",
        "share",
        "change",
        "text_vs_annex",
        "funding_split",
        "score",
        "count",
        "cross_year",
    }
    assert min(families.values()) >= 2


def test_batch_shape_and_rounding_traps():
    subs = submissions()
    units = {s["unit"] for s in subs}
    assert len(units) >= 30
    assert sum(1 for u in units if sum(s["unit"] == u for s in subs) == 2) >= 3
    assert sum(not s["plants"] for s in subs) >= 10
    share_sums, last_digit = [], 0
    for s in subs:
        if not s["plants"]:
            facts = Facts(s)
            shares = [
                Decimal(r["value"]) for r in facts.get("narrative", "expenditure.project.item", "share")
            ]
            amounts = [
                interval(r)[0] + interval(r)[1] for r in facts.get("narrative", "expenditure.project.item")
            ]
            share_sums.append(sum(shares))
            recomputed = [(a * 100 / sum(amounts)).quantize(Decimal("0.01")) for a in amounts]
            last_digit += any(abs(x - y) == Decimal("0.01") for x, y in zip(recomputed, shares))
    assert any(abs(total - 100) >= Decimal("0.02") for total in share_sums)
    assert last_digit >= 2
    formats = {f["format"] for s in subs for f in s["files"]}
    assert formats == {"docx", "xlsx", "pdf"}
    assert any("０" in r["raw"] or "２" in r["raw"] for s in subs for r in s["figures"])


def test_samples_stay_under_20_mb():
    size = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert size < 20 * 1024 * 1024, size


def test_generator_is_byte_deterministic(tmp_path):
    sys.path.insert(0, str(SAMPLES))
    from gen import batch

    codes = {"u13", "u30"}  # separate XLSX annexes; separate DOCX annexes
    batch.generate(tmp_path / "a", seed=truth()["seed"], pdf=False, codes=codes)
    batch.generate(tmp_path / "b", seed=truth()["seed"], pdf=False, codes=codes)
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.suffix in (".docx", ".xlsx")
    )
    assert len(files) == 6
    for rel in files:
        data = (tmp_path / "a" / rel).read_bytes()
        assert data == (tmp_path / "b" / rel).read_bytes(), rel
        assert data == (BATCH / rel).read_bytes(), f"committed {rel} is stale"


def test_yiyang_truth_uses_the_reference_conventions():
    """The generator's Yiyang truth and the hand-written reference (tests/reference/) were
    written separately; they must name every narrative figure with the same label and role."""
    import csv

    sub = truth(SAMPLES / "yiyang_hpf_2024" / "truth.json")["submissions"][0]
    written = sorted(
        (r["raw"], r["label"], Decimal(r["value"]), r["role"])
        for r in sub["figures"]
        if r["file"] == "yiyang_hpf_2024.docx" and r["where"]["part"] == "narrative"
    )
    with open(ROOT / "tests" / "reference" / "yiyang_facts.csv", encoding="utf-8", newline="") as fh:
        reference = sorted((r["raw"], r["label"], Decimal(r["value"]), r["role"]) for r in csv.DictReader(fh))
    assert written == reference
    assert sum(1 for w in written if w[1]) == 95  # the five reasons of the 公用经费 increase have no label


def test_yiyang_generator_reads_its_corpus_copy_and_reproduces_the_files(tmp_path):
    sys.path.insert(0, str(SAMPLES))
    import generate

    out = SAMPLES / "yiyang_hpf_2024"
    assert generate.CORPUS == out / "yiyang_hpf_2024.txt"
    generate.generate_yiyang(tmp_path, generate.CORPUS, pdf=False)
    for name in ("yiyang_hpf_2024.docx", "yiyang_hpf_2024_附件.xlsx", "truth.json"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), f"committed {name} is stale"


def test_truths_share_the_role_conventions():
    """同比增长6.77% is a rate (with a direction), never a change; 下降8.03个百分点 is a change."""
    subs = submissions() + truth(SAMPLES / "yiyang_hpf_2024" / "truth.json")["submissions"]
    figures = [r for s in subs for r in s["figures"] if r["where"]["part"] == "narrative"]
    assert not [r["raw"] for r in figures if r["kind"] == "percent" and r["role"] == "change"]
    assert not [r["raw"] for r in figures if r["kind"] == "percent_point" and r["role"] != "change"]
    rates_with_direction = [r["raw"] for r in figures if r["role"] == "rate" and r.get("direction")]
    assert "6.77%" in rates_with_direction
    assert all(r.get("direction") in ("increase", "decrease") for r in figures if r["role"] == "change")
