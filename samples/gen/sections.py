"""The report's sections (domain.md §2), statement by statement, as (kind, Paragraph) blocks."""

from __future__ import annotations

from decimal import Decimal

from . import fmt
from .narrative import Writer
from .record import Paragraph, figure

Blocks = list[tuple[str, Paragraph | str]]
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))


def grade_of(score: Decimal) -> str:
    return next(g for floor, g in GRADES if score >= floor)


def cover(w: Writer) -> Blocks:
    u = w.u
    blocks: Blocks = [
        ("cover", f"部门（单位）名称：{u.unit}"),
        ("date", f"{u.year + 1}年4月{w.rng.randint(8, 28)}日"),
    ]
    if w.s.title_form:
        return blocks + [("title", f"{u.year}年度{u.unit}"), ("title", "整体支出绩效自评报告")]
    return blocks + [("title", f"{u.unit}{u.year}年度部门整体支出绩效自评报告")]


def staff(w: Writer) -> Blocks:
    u, p, t = w.u, Paragraph(), w.s.templates["staff"]
    prior = u.prior
    total = u.active + u.retired
    if t == 0:
        p.text(f"{u.year}年年末实有人数").fig(w.people("narr.total", total, "staff.total", "年末实有人数"))
        w.change(
            p.text("，"),
            "narr.total.change",
            Decimal(total),
            _prior_total(u),
            "staff.total",
            "年末实有人数",
            True,
        )
        p.text("。其中：在职人员").fig(w.people("narr.active", u.active, "staff.active", "在职人员"))
        _active_change(w, p.text("，"), u, prior)
        _reasons(w, p.text("，原因是"))
        p.text("；退休人员").fig(w.people("narr.retired", u.retired, "staff.retired", "退休人员"))
        w.change(
            p.text("，"),
            "narr.retired.change",
            Decimal(u.retired),
            Decimal(prior.retired),
            "staff.retired",
            "退休人员",
            True,
        )
        return [("body", p.text("。"))]
    if t == 1:
        p.text(f"截至{u.year}年底，单位编制数").fig(
            w.people("narr.authorized", u.authorized, "staff.authorized", "编制数")
        )
        p.text("，实有在职").fig(w.people("narr.active", u.active, "staff.active", "在职", suffix="名"))
        p.text("，退休人员").fig(w.people("narr.retired", u.retired, "staff.retired", "退休人员"))
        p.text("，年末实有人数合计").fig(w.people("narr.total", total, "staff.total", "年末实有人数")).text(
            "。在职人员"
        )
        _active_change(w, p, u, prior)
        return [("body", _reasons(w, p.text("（")).text("）。"))]
    p.text("本单位核定编制").fig(w.people("narr.authorized", u.authorized, "staff.authorized", "核定编制"))
    p.text(f"，{u.year}年末在职人员").fig(w.people("narr.active", u.active, "staff.active", "在职人员"))
    p.text("，离退休人员").fig(w.people("narr.retired", u.retired, "staff.retired", "离退休人员"))
    p.text("，实有人数").fig(w.people("narr.total", total, "staff.total", "实有人数")).text("。在职人员")
    _active_change(w, p, u, prior)
    return [("body", _reasons(w, p.text("，其中")).text("。"))]


def _prior_total(u) -> Decimal:
    return Decimal(u.prior.active + u.prior.retired)


def _active_change(w: Writer, p: Paragraph, u, prior) -> None:
    """在职人员's change on the prior year, as every staff template states it."""
    w.change(p, "narr.active.change", Decimal(u.active), Decimal(prior.active), "staff.active", "在职人员", True)


def _reasons(w: Writer, p: Paragraph) -> Paragraph:
    moves = [(k, n) for k, n in w.u.moves.items() if n]
    w.rng.shuffle(moves)
    if not moves:
        return p.text("无人员变动")
    for i, (reason, n) in enumerate(moves):
        direction = "increase" if reason == "新进" else "decrease"
        record = figure(
            "staff.active",
            reason,
            w._raw(f"{n}人"),
            Decimal(n),
            0,
            "人",
            "headcount",
            "change",
            direction=direction,
            year=w.u.year,
        )
        sep = "，" if i else ""
        if reason == "新进":
            p.text(f"{sep}新招录").fig(record)
        else:
            p.text(sep).fig(record).text(reason)
    return p


def basic(w: Writer) -> Blocks:
    u, p, t, pw = w.u, Paragraph(), w.s.templates["basic"], w.s.personnel_word
    prior = u.prior
    b = w.money("narr.basic", u.basic, "expenditure.basic", "基本支出")
    pers = w.money("narr.personnel", u.personnel, "expenditure.personnel", pw)
    pub = w.money("narr.public", u.public, "expenditure.public", "公用经费")
    if t == 0:
        p.text(f"{u.year}年基本支出").fig(b).text(f"，其中{pw}").fig(pers).text("，")
        w.change(p, "narr.personnel.change", u.personnel, prior.personnel, "expenditure.personnel", pw)
        p.text("；公用经费").fig(pub).text("，")
        w.change(p, "narr.public.change", u.public, prior.public, "expenditure.public", "公用经费")
        return [("body", p.text("。"))]
    if t == 1:
        p.text("全年基本支出").fig(b).text(f"，主要用于保障机构正常运转，包括{pw}").fig(pers).text(
            "和公用经费"
        ).fig(pub)
        p.text(f"。{pw}")
        w.change(p, "narr.personnel.change", u.personnel, prior.personnel, "expenditure.personnel", pw)
        p.text("，主要是人员变动及工资调标；公用经费")
        w.change(p, "narr.public.change", u.public, prior.public, "expenditure.public", "公用经费")
        return [("body", p.text("。"))]
    p.text(f"{pw}").fig(pers).text("、公用经费").fig(pub).text("，合计基本支出").fig(b).text("。其中公用经费")
    w.change(p, "narr.public.change", u.public, prior.public, "expenditure.public", "公用经费")
    p.text(f"，{pw}")
    w.change(p, "narr.personnel.change", u.personnel, prior.personnel, "expenditure.personnel", pw)
    return [("body", p.text("。"))]


def three_public(w: Writer) -> Blocks:
    u, p, t, tw, form = w.u, Paragraph(), w.s.templates["three"], w.s.three_word, w.s.three_money
    pt = u.prior.three
    total = w.money("narr.three", u.three_total, "three_public.total", tw, form=form)
    vehicle = w.money(
        "narr.vehicle", u.vehicle, "three_public.vehicle", "公务用车购置及运行维护费", form=form
    )
    reception = w.money(
        "narr.reception", u.three["reception"], "three_public.reception", "公务接待费", form=form
    )
    prior_total = sum(pt.values(), Decimal(0))
    if t in (0, 1):
        p.text(f"{u.year}年度{tw}支出").fig(total).text("，其中：公务用车购置及运行维护费支出").fig(vehicle)
        p.text("，公务接待费支出").fig(reception).text("，无因公出国（境）费支出。")
        p.text(f"与{u.year - 1}年度相比，{tw}" if t == 0 else f"{tw}")
        base = "" if t == 0 else None
        w.change(
            p, "narr.three.change", u.three_total, prior_total, "three_public.total", tw, form=form, base=base
        )
        p.text("，其中公务用车购置及运行维护费")
        w.change(
            p,
            "narr.vehicle.change",
            u.vehicle,
            pt["purchase"] + pt["operation"],
            "three_public.vehicle",
            "公务用车购置及运行维护费",
            form=form,
            base=base,
        )
        p.text("，公务接待费")
        w.change(
            p,
            "narr.reception.change",
            u.three["reception"],
            pt["reception"],
            "three_public.reception",
            "公务接待费",
            form=form,
            base=base,
        )
        return [("body", p.text("。"))]
    p.text(f"{tw}支出").fig(total).text("，")
    w.change(p, "narr.three.change", u.three_total, prior_total, "three_public.total", tw, form=form)
    p.text("。其中，公务用车购置及运行维护费").fig(vehicle).text("（公务用车购置费")
    p.fig(
        w.money(
            "narr.purchase", u.three["purchase"], "three_public.vehicle_purchase", "公务用车购置费", form=form
        )
    )
    p.text("、公务用车运行维护费")
    p.fig(
        w.money(
            "narr.operation",
            u.three["operation"],
            "three_public.vehicle_operation",
            "公务用车运行维护费",
            form=form,
        )
    )
    p.text("），公务接待费").fig(reception).text("，因公出国（境）费")
    p.fig(
        w.money("narr.overseas", u.three["overseas"], "three_public.overseas", "因公出国（境）费", form=form)
    )
    return [("body", p.text("。"))]


def projects(w: Writer) -> Blocks:
    u, t, sw = w.u, w.s.templates["project"], w.s.share_word
    total = w.money("narr.project", u.project_total, "expenditure.project", "项目支出")
    n = int(u.w("narr.count", len(u.projects)))
    count = figure(
        "expenditure.project.count", "项目", w._raw(f"{n}个"), Decimal(n), 0, "个", "count", year=u.year
    )
    head = Paragraph().text(f"{u.year}年项目支出").fig(total)
    if w.s.count_form == 1:
        head.text("，共").fig(count).text("项目")
    elif w.s.count_form == 2:
        head.text("，共安排项目").fig(count)
    head.text("，")
    prior_total = u.prior.project_total if u.prior else None
    w.change(head, "narr.project.change", u.project_total, prior_total, "expenditure.project", "项目支出")
    items = [_item(w, i, p) for i, p in enumerate(u.projects)]
    if t == 2:
        blocks = [("body", head.text("。具体如下："))]
        for i, (amount, share) in enumerate(items):
            para = (
                Paragraph().text(f"{i + 1}.{u.projects[i].name}：支出").fig(amount).text(f"，{sw}").fig(share)
            )
            blocks.append(("body", para.text("；" if i + 1 < len(items) else "。")))
        return blocks
    head.text("。其中：")
    for i, (amount, share) in enumerate(items):
        name = u.projects[i].name
        if t == 0:
            head.text(name).fig(amount).text(f"，{sw}").fig(share)
        else:
            head.text(name).fig(amount).text(f"（{sw}").fig(share).text("）")
        head.text("；" if i + 1 < len(items) else "。")
    return [("body", head)]


def _item(w: Writer, i: int, project) -> tuple[dict, dict]:
    share = fmt.ratio_percent(project.amount, w.u.project_total)
    strip = w.s.money == "wan_strip"
    return (
        w.money(f"narr.item.{i}", project.amount, "expenditure.project.item", project.name),
        w.percent(f"narr.share.{i}", share, "expenditure.project.item", project.name, "share", strip),
    )
