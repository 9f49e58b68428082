"""samples/batch/: one submission per unit-year in the layout its catalogue entry names,
plus truth.json. Every random choice comes from random.Random(f"{seed}:{unit code}")."""

from __future__ import annotations

import random
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from .annexes import Building, build_annex1, build_annex2
from .annexspec import annex1_spec, annex2_spec
from .catalogue import LOOSE, UNITS, UnitSpec
from .fmt import CENT, WAN, q2, ratio_percent
from .naming import Namer
from .narrative import Writer, choose_style
from .pdf import export_pdf, fake_bold
from .plants import PLANTS
from .pools import profile_for
from .report import relocate, write_annex_docx, write_annex_xlsx, write_report_docx
from .sections2 import report_blocks
from .shapes import UNIT_PLANTS, prepare, render_project, render_table_prose
from .truthfile import write_truth
from .unitdata import derive, fill_dependent, make_base, make_indicators, split_projects

SHEETS = ["附件1 基础数据表", "附件2 自评表"]


def unit_years(spec: UnitSpec, seed: int) -> list:
    """The unit's consistent years (oldest first), traps applied, with its rng."""
    rng = random.Random(f"{seed}:{spec.code}")
    profile = profile_for(spec.kind)
    prev = make_base(rng, spec.name, profile, spec.years[0] - 1)
    if "n_projects" in spec.options:
        prev.projects = split_projects(
            rng, rng.sample(profile.project_names, spec.options["n_projects"]), prev.project_total
        )
        fill_dependent(rng, prev)
    prev.kind = spec.kind
    out = []
    for _ in spec.years:
        u = derive(rng, prev, profile)
        _apply_trap(rng, u, spec.options.get("trap"))
        if "rate" in spec.options:
            u.adjusted = q2(u.executed / Decimal(str(spec.options["rate"])))
        u.indicators = make_indicators(rng, profile, missed=rng.random() < 0.2)
        if spec.options.get("building"):
            u.building = make_building(rng)
        prepare(spec, u, rng)
        out.append(u)
        prev = u
    return out, rng


def make_building(rng: random.Random) -> Building:
    """A 楼堂馆所 project completed this year (a township office block, a clinic wing)."""
    approved = Decimal(rng.randrange(800, 3000, 10))
    budget = q2(approved * Decimal(rng.randrange(2800, 4200)))
    return Building(approved, approved - Decimal(rng.randrange(0, 60)), budget, scale_money(rng, budget))


def scale_money(rng: random.Random, amount: Decimal) -> Decimal:
    return q2(amount * Decimal(str(round(rng.uniform(0.9, 1.0), 4))))


def _apply_trap(rng: random.Random, u, trap: str | None) -> None:
    """Re-split project amounts until the rounding trap shows (shares summing to != 100.00, or a
    share recomputed from rounded 万元 amounts differing in the last digit)."""
    if not trap:
        return
    names = [p.name for p in u.projects]
    for _ in range(500):
        shares = [ratio_percent(p.amount, u.project_total) for p in u.projects]
        if (
            trap == "sum_off"
            and sum(shares) != 100
            or trap == "sum_far"
            and abs(sum(shares) - 100) >= 2 * CENT
        ):
            break
        rounded = [q2(p.amount / WAN) for p in u.projects]
        recomputed = [ratio_percent(a, sum(rounded)) for a in rounded]
        if trap == "last_digit" and recomputed != shares:
            break
        u.projects = split_projects(rng, names, u.project_total)
    fill_dependent(rng, u)


def render_submission(spec: UnitSpec, u, rng: random.Random, root: Path, tmp: Path, pdf: bool) -> dict:
    if spec.layout == "project":
        return project_submission(spec, u, rng, root)
    style = choose_style(rng, u.year, spec.fullwidth, spec.money)
    if "count_form" in spec.options:
        style.count_form = spec.options["count_form"]
    plants = []
    for i, name in enumerate(spec.plants.get(u.year, ())):
        plants.append({"id": f"{spec.code}-{u.year}-p{i + 1}", **{**PLANTS, **UNIT_PLANTS}[name](u)})
    namer = Namer(rng, spec.name, u.year, spec.fullwidth and rng.random() < 0.7)
    folder = LOOSE if spec.folder is None else namer.folder(len(spec.years) > 1)
    style_caption = rng.randrange(2)
    grids = [
        build_annex1(annex1_spec(u, style_caption)),
        build_annex2(annex2_spec(u, style_caption, spec.options.get("variant", "hunan"))),
    ]
    inside = spec.layout in ("inside", "report_pdf", "fake_bold")
    writer = Writer(u, style, rng)
    blocks = report_blocks(writer, annex_list=True)
    files, figures = [], []

    def rel(name: str) -> str:
        return f"{folder}/{name}"

    report_name = namer.report()
    if spec.layout == "table_prose":
        more_files, placed = render_table_prose(u, writer, blocks, grids, rel, namer, rng, root)
        files, figures = files + more_files, figures + placed
    elif spec.layout in ("report_pdf", "fake_bold"):
        docx = tmp / f"{spec.code}-{u.year}.docx"
        placed = write_report_docx(docx, "", blocks, grids)
        target = rel(report_name + ".pdf")
        if pdf:
            plain = tmp / f"{spec.code}-{u.year}.pdf"
            export_pdf(docx, plain)
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            if spec.layout == "fake_bold":
                fake_bold(plain, root / target)
            else:
                shutil.copyfile(plain, root / target)
        figures += relocate(placed, target)
        files += [{"path": target, "role": r, "format": "pdf"} for r in ("report", "annex1", "annex2")]
    else:
        target = rel(report_name + ".docx")
        figures += write_report_docx(root / target, target, blocks, grids if inside else [])
        files += [
            {"path": target, "role": r, "format": "docx"}
            for r in (("report", "annex1", "annex2") if inside else ("report",))
        ]
    figures += _annex_files(spec, grids, namer, rel, root, tmp, pdf, files)
    return {
        "code": spec.code,
        "unit": spec.name,
        "kind": spec.kind,
        "year": u.year,
        "layout": spec.layout,
        "folder": folder,
        "files": files,
        "figures": figures,
        "plants": plants,
    }


def project_submission(spec: UnitSpec, u, rng: random.Random, root: Path) -> dict:
    folder = LOOSE if spec.folder is None else Namer(rng, spec.name, u.year, False).folder(len(spec.years) > 1)
    files, figures, plants = render_project(spec, u, rng, folder, root)
    plants = [{"id": f"{spec.code}-{u.year}-p{i + 1}", **plant} for i, plant in enumerate(plants)]
    return {"code": spec.code, "unit": spec.name, "kind": spec.kind, "year": u.year, "layout": spec.layout,
            "folder": folder, "files": files, "figures": figures, "plants": plants}


def _annex_files(spec, grids, namer, rel, root: Path, tmp: Path, pdf: bool, files: list) -> list[dict]:
    layout, figures = spec.layout, []
    if layout == "docx_annexes":
        for grid, name, role in zip(grids, (namer.annex1(), namer.annex2()), ("annex1", "annex2")):
            target = rel(name + ".docx")
            figures += write_annex_docx(root / target, target, [grid])
            files.append({"path": target, "role": role, "format": "docx"})
    elif layout == "xlsx_one":
        target = rel(namer.both() + ".xlsx")
        figures += write_annex_xlsx(root / target, target, grids, SHEETS)
        files += [{"path": target, "role": r, "format": "xlsx"} for r in ("annex1", "annex2")]
    elif layout == "xlsx_two":
        for grid, name, role, sheet in zip(
            grids, (namer.annex1(), namer.annex2()), ("annex1", "annex2"), SHEETS
        ):
            target = rel(name + ".xlsx")
            figures += write_annex_xlsx(root / target, target, [grid], [sheet])
            files.append({"path": target, "role": role, "format": "xlsx"})
    elif layout == "pdf_annexes":
        docx = tmp / f"{spec.code}-annex.docx"
        placed = write_annex_docx(docx, "", grids)
        target = rel(namer.both() + ".pdf")
        if pdf:
            export_pdf(docx, root / target)
        figures += relocate(placed, target)
        files += [{"path": target, "role": r, "format": "pdf"} for r in ("annex1", "annex2")]
    return figures


def resolve_plants(submissions: list[dict]) -> None:
    """Matchers -> the figures they name (planted first), with file and where."""
    by_key = {(s["code"], s["year"]): s for s in submissions}
    for sub in submissions:
        for plant in sub["plants"]:
            involved = []
            for kind in ("planted", "related"):
                for matcher in plant.pop(kind):
                    other = by_key.get((sub["code"], sub["year"] + matcher["year_offset"]))
                    hits = [f for f in other["figures"] if _matches(f, matcher)] if other else []
                    assert hits, (sub["code"], sub["year"], matcher)
                    involved += [
                        {
                            "id": f["id"],
                            "label": f["label"],
                            "subject": f["subject"],
                            "value": f["value"],
                            "raw": f["raw"],
                            "file": f["file"],
                            "where": f["where"],
                            "role": f["role"],
                            "measure": f["measure"],
                            "year": f.get("year"),
                            "planted": kind == "planted",
                        }
                        for f in hits
                    ]
            plant["figures"] = involved
            first = involved[0]
            plant["where"] = {"file": first["file"], **first["where"]}


def _matches(record: dict, matcher: dict) -> bool:
    if record["where"]["part"] != matcher["part"]:
        return False
    return all(
        record[key] == matcher[key] for key in ("label", "role", "measure", "subject") if key in matcher
    )


def clear_batch(out: Path, keep_pdf: bool) -> None:
    """Remove the old batch; PDFs stay when LibreOffice is not run this time."""
    if not out.exists():
        return
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and not (keep_pdf and path.suffix == ".pdf"):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def drop_unlisted(out: Path, listed: set[str]) -> None:
    for path in sorted(out.rglob("*"), reverse=True):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel != "truth.json" and rel not in listed:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def generate(out: Path, seed: int, pdf: bool = True, codes: set[str] | None = None) -> dict:
    """Write the batch (or only the units in codes) under out; returns the truth."""
    if codes is None:
        clear_batch(out, keep_pdf=not pdf)
    out.mkdir(parents=True, exist_ok=True)
    submissions = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in UNITS:
            if codes is not None and spec.code not in codes:
                continue
            years, rng = unit_years(spec, seed)
            for u in years:
                submissions.append(render_submission(spec, u, rng, out, Path(tmp), pdf))
    truth = {"county": "清溪县", "seed": seed, "submissions": submissions}
    if codes is None:
        drop_unlisted(out, {f["path"] for s in submissions for f in s["files"]})
    write_truth(out / "truth.json", truth)
    resolve_plants(submissions)
    write_truth(out / "truth.json", truth)
    return truth
