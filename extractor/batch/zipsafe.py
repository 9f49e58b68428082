"""Extract a submissions zip safely: no member escapes the target, no zip bomb fills the disk.

Every limit is checked on the central directory BEFORE anything is written, then again
while streaming (a running byte count), because the declared sizes can lie.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import regex

from ..errors import InputError
from ..pipeline import sha256_of

UTF8_FLAG = 0x800  # general purpose bit 11: the names are UTF-8
RGX_DRIVE = regex.compile(r"^[A-Za-z]:")
MARKER = ".extracted"  # hidden: discovery skips it


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_total: int = 2 << 30  # bytes uncompressed, all members
    max_members: int = 10_000
    max_ratio: int = 200  # uncompressed / compressed, per member
    ratio_floor: int = 1 << 20  # members smaller than this are never judged by ratio


DEFAULT_LIMITS = ZipLimits()


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when bit 11 says so, else the cp437 bytes read as GBK."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return info.filename


def safe_member_path(zip_path: Path, info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's path inside the target; E111 for absolute, drive, '..' or symlink members."""
    name = member_name(info).replace("\\", "/")
    mode = info.external_attr >> 16
    path = PurePosixPath(name)
    escapes = (
        name.startswith("/")
        or RGX_DRIVE.match(name) is not None
        or ".." in path.parts
        or stat.S_ISLNK(mode)
    )
    if escapes:
        raise InputError("E111", path=zip_path, member=name)
    return path


def check_bomb(zip_path: Path, infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """E108 when the declared sizes break a limit: member count, total size, ratio."""
    if len(infos) > limits.max_members:
        raise InputError("E108", path=zip_path, detail=f"成员数 {len(infos)} 超过 {limits.max_members}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_total:
        raise InputError("E108", path=zip_path, detail=f"解压后共 {total} 字节，超过上限 {limits.max_total}")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            detail = f"{member_name(info)} 压缩比 {ratio:.0f}:1 超过 {limits.max_ratio}:1"
            raise InputError("E108", path=zip_path, detail=detail)


def check_name_clash(zip_path: Path, paths: list[PurePosixPath]) -> None:
    """E117 when one member's path is another's folder (a/b and a/b/c.docx) or appears twice:
    extracting would fail half-way or silently keep only one of them."""
    files: set[str] = set()
    folders: set[str] = set()
    for path in paths:
        name = path.as_posix()
        if name in files or name in folders:
            raise InputError("E117", path=zip_path, member=name)
        files.add(name)
        folders.update(parent.as_posix() for parent in path.parents if parent.as_posix() != ".")
    clash = files & folders
    if clash:
        raise InputError("E117", path=zip_path, member=min(clash))


def extract_zip(zip_path: Path, target: Path, limits: ZipLimits = DEFAULT_LIMITS) -> Path:
    """Extract into target (reused when already extracted from the same zip bytes); returns target."""
    digest = sha256_of(zip_path)
    marker = target / MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8") == digest:
        return target
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError("E104", path=zip_path, fmt="zip", detail=str(exc)) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        members = [(info, safe_member_path(zip_path, info)) for info in infos]
        check_bomb(zip_path, infos, limits)
        check_name_clash(zip_path, [path for _, path in members])
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        written = 0
        for info, relative in members:
            try:
                written = _stream_member(archive, info, target / relative, written, zip_path, limits)
            except (RuntimeError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                # encrypted, damaged, a compression method zipfile does not know
                shutil.rmtree(target, ignore_errors=True)
                raise InputError("E104", path=zip_path, fmt="zip", detail=f"{member_name(info)}: {exc}") from None
            except InputError:
                shutil.rmtree(target, ignore_errors=True)
                raise
    marker.write_text(digest, encoding="utf-8")
    return target


def _stream_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, written: int, zip_path: Path, limits: ZipLimits
) -> int:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(info) as src, dest.open("wb") as out:
        for chunk in iter(lambda: src.read(1 << 16), b""):
            written += len(chunk)
            if written > limits.max_total:
                raise InputError("E108", path=zip_path, detail=f"实际解压超过 {limits.max_total} 字节")
            out.write(chunk)
    return written
