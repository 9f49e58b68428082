"""report.html in a real browser: headless Chromium (Debian's chromium and chromium-driver,
installed by the Makefile's `browser` prerequisite of `make test`) applies every filter and
follows a place link, and the visible rows are compared with discrepancies.json; a screenshot
shows the CJK text drawn with glyphs, not boxes.

Skipped, with the reason, only when the browser is absent and this is not root (CI runs as
root, where `make test` installs it, so there a missing browser fails)."""

from __future__ import annotations

import io
import json
import os
import shutil
from decimal import Decimal

import pytest

from extractor.model import (
    Family,
    Finding,
    Level,
    Locator,
    Reach,
    Severity,
    SubmissionStatus,
    SubmissionSummary,
)
from extractor.report import write_summary_reports
from extractor.vocabulary import zh

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FILTERS = {"unit": "unit", "severity": "severity", "reach": "reach", "level": "level"}  # select -> JSON key
KINDS = {"severity": Severity, "reach": Reach, "level": Level}


def _missing() -> str:
    absent = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        absent.append("selenium (pip extra test)")
    return "、".join(absent)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = _missing()
    if missing:
        reason = f"浏览器测试需要 {missing}：make test 以 root 运行时会安装（apt-get install chromium chromium-driver fonts-noto-cjk）"
        if os.geteuid() == 0:
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager never downloads anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _finding(n: int, unit: str, severity: Severity, reach: Reach, level: Level) -> Finding:
    source = f"{unit}/{unit}附件{n % 2 + 1}.docx"
    return Finding(
        id=f"{n:016x}", unit=unit, year=2024, rule_id=f"sum.rule{n}", family=Family.SUM, severity=severity,
        reach=reach, level=level, message=f"第{n}项合计与分项之和不一致，差额{n}.00万元",
        reported=f"{100 + n}.00万元", expected=f"{100}.00万元", difference=f"{n}.00万元",
        locations=(Locator(source, table=0, row=n + 1, col=2), Locator(f"{unit}/报告.docx", block=n)),
        excerpts=(f"合计 / 决算数：{100 + n}.00万元", f"全年支出{100 + n}.00万元，较上年有所增加。"),
    )


def _summaries() -> list[SubmissionSummary]:
    combos = [
        ("甲单位", Severity.ERROR, Reach.WITHIN_TABLE, Level.MANDATORY),
        ("甲单位", Severity.WARNING, Reach.TEXT_TABLE, Level.ADVISORY),
        ("甲单位", Severity.INFO, Reach.BETWEEN_TABLES, Level.ADVISORY),
        ("乙单位", Severity.ERROR, Reach.TEXT_TABLE, Level.MANDATORY),
        ("乙单位", Severity.WARNING, Reach.CROSS_YEAR, Level.MANDATORY),
        ("丙单位", Severity.WARNING, Reach.WITHIN_TABLE, Level.ADVISORY),
    ]
    findings = [_finding(n, *combo) for n, combo in enumerate(combos, start=1)]
    counts = {"run": 10, "passed": 8, "failed": 2, "skipped": 0}
    return [
        SubmissionSummary(unit=unit, year=2024, files=(f"{unit}/报告.docx",), status=SubmissionStatus.OK, issues=(),
                          largest=Decimal(n * 10000), self_score="98", recomputed="98.00", note="", figures=20,
                          checked=18, counts=counts, skipped=(), findings=tuple(f for f in findings if f.unit == unit))
        for n, unit in enumerate(("甲单位", "乙单位", "丙单位", "丁单位"), start=1)
    ]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    summaries = _summaries()
    raws = {loc: {f.reported} for s in summaries for f in s.findings for loc in f.locations}
    write_summary_reports(summaries, raws, out)
    listed = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))
    return (out / "report.html").as_uri(), listed["findings"]


def _visible_ids(driver) -> set[str]:
    from selenium.webdriver.common.by import By

    return {r.get_attribute("id")[2:] for r in driver.find_elements(By.CSS_SELECTOR, "tr.finding") if r.is_displayed()}


def _choose(driver, key: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, f"f-{key}")).select_by_value(value)


def _word(key: str, finding: dict) -> str:
    return finding["unit"] if key == "unit" else zh(KINDS[key](finding[key]))


def test_each_filter_shows_exactly_the_findings_of_the_json(browser, page):
    from selenium.webdriver.common.by import By

    url, findings = page
    browser.get(url)
    assert _visible_ids(browser) == {f["id"] for f in findings}
    for key in FILTERS:
        values = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, f"#f-{key} option")]
        assert values[0] == "" and len(values) > 2, key  # 全部, then at least two choices
        for value in values[1:]:
            _choose(browser, key, value)
            expected = {f["id"] for f in findings if _word(key, f) == value}
            assert expected and _visible_ids(browser) == expected, (key, value)
            assert browser.find_element(By.ID, "shown").text == str(len(expected))
            shown_units = {s.get_attribute("data-unit") for s in browser.find_elements(By.CSS_SELECTOR, "section.unit")
                           if s.is_displayed()}
            assert shown_units == {f["unit"] for f in findings if f["id"] in expected}  # empty units hidden
        _choose(browser, key, "")
    _choose(browser, "unit", "甲单位")
    _choose(browser, "level", zh(Level.ADVISORY))
    assert _visible_ids(browser) == {
        f["id"] for f in findings if f["unit"] == "甲单位" and f["level"] == Level.ADVISORY.value
    }


def test_a_place_link_leads_to_the_finding_excerpt(browser, page):
    from selenium.webdriver.common.by import By

    url, findings = page
    browser.get(url)
    last = findings[-1]  # far down the page: following the link must scroll
    link = browser.find_element(By.CSS_SELECTOR, f"#f-{last['id']} a.place")
    assert link.text.startswith("附件") and "/" not in link.text  # the short name: no folder, no unit
    assert browser.execute_script("return window.scrollY") == 0
    browser.execute_script("arguments[0].click()", link)
    assert browser.execute_script("return location.hash") == f"#x-{last['id']}"
    target = browser.find_element(By.CSS_SELECTOR, ":target")
    assert target.get_attribute("id") == f"x-{last['id']}" and "excerpt" in target.get_attribute("class")
    assert last["reported"] in target.text and "<mark>" in target.get_attribute("innerHTML")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", target)
    assert 0 <= top < browser.execute_script("return window.innerHeight")


def test_cjk_text_is_drawn_with_glyphs_not_boxes(browser, page):
    from PIL import Image
    from selenium.webdriver.common.by import By

    url, _ = page
    browser.get(url)
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text == "绩效自评报告核查问题清单"
    # a twin of the heading whose characters no font has: what tofu boxes look like here
    browser.execute_script(
        "var t=arguments[0].cloneNode(false);t.id='tofu';t.textContent=Array(12).fill('\\u{10FFFD}').join('');"
        "arguments[0].after(t);", heading)
    twin = browser.find_element(By.ID, "tofu")
    drawn = Image.open(io.BytesIO(heading.screenshot_as_png)).convert("L")
    boxes = Image.open(io.BytesIO(twin.screenshot_as_png)).convert("L")
    assert _ink(drawn) > 0.03  # something is drawn
    # without a CJK font the heading is twelve boxes too, pixel for pixel
    assert drawn.tobytes() != boxes.resize(drawn.size).tobytes()
    assert _columns_with_ink(drawn) != _columns_with_ink(boxes.resize(drawn.size))


def _ink(image) -> float:
    pixels = image.tobytes()
    return sum(1 for p in pixels if p < 128) / len(pixels)


def _columns_with_ink(image) -> list[bool]:
    width, height = image.size
    data = image.load()
    return [any(data[x, y] < 128 for y in range(height)) for x in range(width)]
