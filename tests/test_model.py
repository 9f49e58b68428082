import json
from decimal import Decimal

from extractor.model import Cell, Document, Fact, Format, Kind, Locator, Table
from extractor.serialize import dumps, to_jsonable


def test_grid_covers_spans():
    table = Table(index=0, n_rows=3, n_cols=3, cells=(
        Cell(0, 0, "序号", row_span=2), Cell(0, 1, "项目", col_span=2),
        Cell(1, 1, "a"), Cell(1, 2, "b"), Cell(2, 0, "合计", col_span=3),
    ))
    grid = table.grid()
    assert grid[1][0].text == "序号"
    assert grid[0][2].text == "项目"
    assert grid[2][2].text == "合计"
    assert table.text_grid()[0] == ["序号", "项目", None]


def test_serializer_is_deterministic_and_keeps_decimals():
    fact = Fact(id="f1", label="expenditure.basic", subject="基本支出", kind=Kind.AMOUNT,
                value=Decimal("23487500"), unit="元", raw="2348.75万元", decimals=-2,
                locator=Locator(source="a.docx", block=3, char_start=5, char_end=14))
    doc = Document(source="a.docx", format=Format.DOCX, sha256="0" * 64, metadata={"b": "2", "a": "1"})
    text = dumps({"fact": fact, "doc": doc}, "extractor.test", "1.0")
    assert text == dumps({"doc": doc, "fact": fact}, "extractor.test", "1.0")
    data = json.loads(text)
    assert data["schema"] == "extractor.test" and data["version"] == "1.0"
    assert data["fact"]["value"] == "23487500" and data["fact"]["kind"] == "amount"
    assert to_jsonable(Decimal("2348.750")) == "2348.750"
