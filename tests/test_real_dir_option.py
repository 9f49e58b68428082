"""bench/real_accuracy.py --dir scores another folder of the real-text layout.

Two keyed texts of tests/reference/real/ (one with a layout.json) are copied into a fresh
folder with their own split.csv, one of them under a split name other than dev/heldout; the
scores of that folder equal those of the default folder, text by text, and the report names
the splits of that folder's split.csv (the extra one included) and no others.
"""

from __future__ import annotations

import shutil
from dataclasses import astuple

from real_accuracy import REAL, main, score_text, split

STEMS = {"hunan_yueyanglou_zfb_2019": "dev", "yunnan_xundian_tzb_2024": "other"}


def copy_texts(folder):
    for stem in STEMS:
        for path in REAL.glob(f"{stem}.*"):
            shutil.copy(path, folder / path.name)
    rows = ["stem,split"] + [f"{stem},{part}" for stem, part in STEMS.items()]
    (folder / "split.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_dir_scores_equal_the_default_folder(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    copy_texts(folder)
    assert (folder / "hunan_yueyanglou_zfb_2019.layout.json").exists()
    assert split(folder) == STEMS
    for stem in STEMS:
        mine = score_text(stem, tmp_path, folder)
        default = score_text(stem, tmp_path)
        assert mine.rows > 0
        assert astuple(mine) == astuple(default), stem


def test_dir_reports_every_split_found(tmp_path, capsys):
    folder = tmp_path / "texts"
    folder.mkdir()
    copy_texts(folder)
    assert main(["--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "真实报告 other (1 份" in out
    assert "真实报告 dev (1 份" in out
    assert "heldout" not in out  # a folder reports the splits its split.csv names
