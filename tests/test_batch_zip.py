"""Zips of submissions: GBK names decoded, escaping paths refused (E111), bombs refused (E108)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from extractor.batch.zipsafe import ZipLimits, extract_zip
from extractor.errors import InputError


class GbkInfo(zipfile.ZipInfo):
    """A member written the way Windows zip tools write Chinese names: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):  # type: ignore[no-untyped-def]
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_zip(path: Path, members: dict[str, bytes], gbk: bool = False) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = GbkInfo(name) if gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def test_gbk_names_are_decoded(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "in.zip", {"某县财政局/2024年度自评报告.docx": b"r", "某县财政局/附件1.xlsx": b"a"}, gbk=True)
    with zipfile.ZipFile(archive) as check:  # the raw name is not UTF-8-flagged: zipfile alone shows cp437 junk
        assert all(not (i.flag_bits & 0x800) for i in check.infolist())
        assert "某县财政局/附件1.xlsx" not in check.namelist()
    target = extract_zip(archive, tmp_path / "out")
    assert (target / "某县财政局" / "2024年度自评报告.docx").read_bytes() == b"r"
    assert (target / "某县财政局" / "附件1.xlsx").read_bytes() == b"a"


def test_utf8_names_are_kept(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "in.zip", {"某县教育局/报告.docx": b"x"})
    assert (extract_zip(archive, tmp_path / "out") / "某县教育局" / "报告.docx").read_bytes() == b"x"


@pytest.mark.parametrize("member", ["../evil.docx", "a/../../evil.docx", "/etc/evil.docx", "C:/evil.docx", "..\\evil.docx"])
def test_escaping_member_refuses_the_whole_zip(tmp_path: Path, member: str) -> None:
    archive = write_zip(tmp_path / "in.zip", {"ok/报告.docx": b"x", member: b"evil"})
    with pytest.raises(InputError) as caught:
        extract_zip(archive, tmp_path / "out" / "target")
    assert caught.value.code == "E111"
    assert not (tmp_path / "out").exists()  # nothing written, not even the good member
    assert not (tmp_path / "evil.docx").exists()


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w") as out:
        info = zipfile.ZipInfo("link.docx")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(info, "/etc/passwd")
    with pytest.raises(InputError) as caught:
        extract_zip(archive, tmp_path / "target")
    assert caught.value.code == "E111"


def test_zip_bomb_is_refused_before_writing(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "bomb.zip", {"a.docx": bytes(20 << 20)})  # 20 MiB of zeros, ~20 KiB packed
    assert archive.stat().st_size < 100_000
    with pytest.raises(InputError) as caught:
        extract_zip(archive, tmp_path / "target")
    assert caught.value.code == "E108" and "压缩比" in str(caught.value)
    assert not (tmp_path / "target").exists()


def test_total_size_and_member_count_are_bounded(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "many.zip", {f"f{i}.docx": b"%d" % i * 100 for i in range(20)})
    with pytest.raises(InputError, match="成员数"):
        extract_zip(archive, tmp_path / "t1", ZipLimits(max_members=10))
    with pytest.raises(InputError, match="超过上限"):
        extract_zip(archive, tmp_path / "t2", ZipLimits(max_total=1000))
    assert len(list(extract_zip(archive, tmp_path / "t3").glob("*.docx"))) == 20


def test_extraction_is_reused_for_the_same_zip(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "in.zip", {"a/报告.docx": b"x"})
    target = extract_zip(archive, tmp_path / "out")
    (target / "a" / "报告.docx").write_bytes(b"touched")
    extract_zip(archive, tmp_path / "out")
    assert (target / "a" / "报告.docx").read_bytes() == b"touched"  # same zip bytes: not re-extracted
    write_zip(archive, {"a/报告.docx": b"new"})
    assert (extract_zip(archive, tmp_path / "out") / "a" / "报告.docx").read_bytes() == b"new"


def test_encrypted_member_is_a_coded_error_and_leaves_nothing(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "locked.zip", {"a/报告.docx": b"x" * 100})
    data = bytearray(archive.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" (bit 0)
        at = data.find(signature)
        data[at + flag_offset] |= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        extract_zip(archive, tmp_path / "target")
    assert caught.value.code == "E104" and "报告.docx" in str(caught.value)
    assert not (tmp_path / "target").exists()
