"""Old formats (.doc, .wps, .xls, .et) through LibreOffice, when it is installed.

Converted files are cached under OUT/.converted/ by the original's sha256, so a resumed
or repeated batch converts each file once. Without soffice the file gets the coded error
E103, which says how to install LibreOffice or re-save the file.

A submitted file is hostile until read: LibreOffice runs with no network and no macros. Its
profile is thrown away after each file and written before the start with remote content,
link updates and macros switched off (PROFILE_SETTINGS); and the process runs in a private
network namespace (`unshare -n`, or `unshare -rn` without root) wherever the system allows
one, so a linked image or an OLE link cannot fetch anything even if a setting is missed.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError

TARGETS = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}


# registrymodifications.xcu items: (path, property, type, value)
PROFILE_SETTINGS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableActiveContent", "boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "boolean", "true"),
    ("/org.openoffice.Office.Common/Misc", "UseSystemFileDialog", "boolean", "false"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "int", "2"),  # 2 = never update links
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "int", "2"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "int", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "int", "9"),  # discard: nothing answers
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "int", "9"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "boolean", "false"),
)
NAMESPACE_COMMANDS = (("unshare", "-n", "--"), ("unshare", "-rn", "--"))


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def no_network_prefix() -> tuple[str, ...]:
    """The command prefix that runs a program in a private network namespace (only a
    loopback of its own), the first of NAMESPACE_COMMANDS this system allows; () if none."""
    for prefix in NAMESPACE_COMMANDS:
        if shutil.which(prefix[0]) is None:
            continue
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return prefix
    return ()


def write_profile(profile: Path) -> None:
    """A fresh LibreOffice user profile with PROFILE_SETTINGS (no remote content, no macros)."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, _, value in PROFILE_SETTINGS
    )
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n", encoding="utf-8")


def sandboxed(command: list[str]) -> list[str]:
    """The command as it is run: inside a private network namespace where available."""
    return [*no_network_prefix(), *command]


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
        write_profile(work_dir / "profile")
        command = [
            binary, f"-env:UserInstallation=file://{work_dir / 'profile'}", "--headless", "--norestore",
            "--convert-to", target, "--outdir", str(work_dir / "out"), str(source),
        ]
        try:
            subprocess.run(sandboxed(command), capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise InputError("E109", path=path, seconds=int(timeout)) from None
        produced = work_dir / "out" / f"input.{target}"
        if not produced.is_file():
            raise InputError("E103", path=path, suffix=suffix, target=target, name=path.name)
        shutil.copyfile(produced, cached.with_name(cached.name + ".part"))
        cached.with_name(cached.name + ".part").replace(cached)
    return cached
