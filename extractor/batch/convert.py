"""Old formats (.doc, .wps, .xls, .et) through LibreOffice, when it is installed.

Converted files are cached under OUT/.converted/ by the original's sha256, so a resumed
or repeated batch converts each file once. Without soffice the file gets the coded error
E103, which says how to install LibreOffice or re-save the file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError

TARGETS = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_legacy(path: Path, sha256: str, cache: Path, timeout: float) -> Path:
    """The converted .docx/.xlsx of a legacy file; InputError E103 when it cannot be converted."""
    suffix = path.suffix.lower()
    target = TARGETS[suffix]
    cached = cache / f"{sha256}.{target}"
    if cached.is_file():
        return cached
    binary = soffice_binary()
    if binary is None:
        raise InputError("E103", path=path, suffix=suffix, target=target, name=path.name)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="extractor-soffice-") as work:
        work_dir = Path(work)
        source = work_dir / f"input{suffix}"
        shutil.copyfile(path, source)
        command = [
            binary, f"-env:UserInstallation=file://{work_dir / 'profile'}", "--headless",
            "--convert-to", target, "--outdir", str(work_dir / "out"), str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise InputError("E109", path=path, seconds=int(timeout)) from None
        produced = work_dir / "out" / f"input.{target}"
        if not produced.is_file():
            raise InputError("E103", path=path, suffix=suffix, target=target, name=path.name)
        shutil.copyfile(produced, cached.with_name(cached.name + ".part"))
        cached.with_name(cached.name + ".part").replace(cached)
    return cached
