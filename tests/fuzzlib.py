"""Mutations of real DOCX/PDF/XLSX bytes, and a warm worker that runs `extractor check` on them.

Used by tests/test_fuzz.py (hypothesis, a few dozen examples in `make test`) and
tests/fuzz_run.py (`make fuzz`: FUZZ_EXAMPLES cases, counts of exit codes and faults).

A mutation is a pure function of (sample bytes, random.Random): byte flips, truncation,
zip member deletion / corruption / flags (encrypted, unknown method, bad CRC), XML
mangling (slices cut or doubled, absurd gridSpan/gridBefore/vMerge, sheet dimensions,
merged ranges, cell references, absurd numbers). The worker is a subprocess with
RLIMIT_AS, which runs cases one after the other via extractor.cli.main and answers
(exit code, stderr, seconds, peak RSS growth); the parent kills it past a time limit.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "docx": [ROOT / "samples/yiyang_hpf_2024/yiyang_hpf_2024.docx"],
    "xlsx": [ROOT / "samples/yiyang_hpf_2024/yiyang_hpf_2024_附件.xlsx"],
    "pdf": [ROOT / "samples/batch/清溪县司法局/清溪县司法局2024年度部门整体支出绩效自评报告.pdf"],
}
CODED_LINE = re.compile(r"^\[[EW]\d{3}\] ")
ABSURD = ["1000000", "99999999999999999999", "-5", "0", "2147483648", "1e9", "abc", ""]
ABSURD_NUMBERS = ["1e999999", "9" * 5000, "-1E-999999", "NaN", "inf", "1." + "0" * 4000, "0x1F"]
XLSX_REFS = ["A1:XFD1048576", "XFD1048576", "A1048576:XFD1048576", "ZZZZ1", "A0", "A1:A1048576"]


def sample_bytes(fmt: str) -> bytes:
    return SAMPLES[fmt][0].read_bytes()


# --- zip level ---------------------------------------------------------------------------

def zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def build_zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:
            archive.writestr(name, body)
    return buffer.getvalue()


def set_flags(data: bytes, member: int, flag: int = 0, method: int | None = None, crc_xor: int = 0) -> bytes:
    """Patch the local and central headers of the member-th entry (general purpose flag bits
    OR-ed in, compression method replaced, CRC xor-ed): the bytes stay a readable zip."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    info = infos[member % len(infos)]
    local = info.header_offset
    central = _central_offset(out, info.filename.encode("utf-8", "surrogateescape"))
    for offset, flag_at, method_at, crc_at in ((local, 6, 8, 14), (central, 8, 10, 16)):
        if offset < 0:
            continue
        flags = struct.unpack_from("<H", out, offset + flag_at)[0] | flag
        struct.pack_into("<H", out, offset + flag_at, flags)
        if method is not None:
            struct.pack_into("<H", out, offset + method_at, method)
        crc = struct.unpack_from("<I", out, offset + crc_at)[0] ^ crc_xor
        struct.pack_into("<I", out, offset + crc_at, crc)
    return bytes(out)


def _central_offset(data: bytearray, name: bytes) -> int:
    start = 0
    while (at := data.find(b"PK\x01\x02", start)) >= 0:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + n]) == name:
            return at
        start = at + 4
    return -1


def corrupt_member_stream(data: bytes, member: int, rng: random.Random) -> bytes:
    """Flip bytes inside one member's compressed data (its headers left intact)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    info = infos[member % len(infos)]
    out = bytearray(data)
    name_len, extra_len = struct.unpack_from("<HH", out, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for _ in range(rng.randint(1, 8)):
        if info.compress_size:
            out[start + rng.randrange(info.compress_size)] ^= rng.randint(1, 255)
    return bytes(out)


# --- XML level ---------------------------------------------------------------------------

def mangle_xml(xml: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0 and len(xml) > 2:  # cut a slice
        a = rng.randrange(len(xml))
        return xml[:a] + xml[a + rng.randint(1, 400):]
    if choice == 1 and len(xml) > 2:  # double a slice
        a = rng.randrange(len(xml))
        return xml[:a] + xml[a: a + rng.randint(1, 400)] * rng.randint(2, 50) + xml[a:]
    if choice == 2:  # absurd attribute values
        return re.sub(rb'(w:val|ref|r|w:w|count|s|t)="[^"]*"',
                      lambda m: m.group(1) + b'="' + rng.choice(ABSURD + XLSX_REFS).encode() + b'"'
                      if rng.random() < 0.05 else m.group(0), xml)
    if choice == 3:  # absurd numbers in text nodes and cell values
        return re.sub(rb">(-?\d+(?:\.\d+)?)<", lambda m: b">" + rng.choice(ABSURD_NUMBERS).encode() + b"<"
                      if rng.random() < 0.2 else m.group(0), xml)
    if choice == 4:  # a DOCTYPE/entity
        return xml.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
    return bytes(b ^ 0xFF if rng.random() < 0.001 else b for b in xml)


def absurd_docx_table(xml: bytes, rng: random.Random) -> bytes:
    """Grid attributes of 10^6..10^9 on a random row or cell."""
    big = str(rng.choice([10**6, 10**7, 10**9, 2**31, 3000])).encode()
    kind = rng.randrange(4)
    if kind == 0:
        return xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="' + big + b'"/>', rng.randint(1, 3))
    if kind == 1:
        return xml.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="' + big + b'"/></w:trPr>', 1)
    if kind == 2:
        return xml.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridAfter w:val="' + big + b'"/></w:trPr>', 1)
    row = re.search(rb"<w:tr[ >].*?</w:tr>", xml, re.S)
    return xml if row is None else xml[: row.end()] + row.group(0) * rng.randint(200, 3000) + xml[row.end():]


def absurd_xlsx_sheet(xml: bytes, rng: random.Random) -> bytes:
    ref = rng.choice(XLSX_REFS).encode()
    kind = rng.randrange(3)
    if kind == 0:
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', xml)
    if kind == 1:
        merge = b'<mergeCells count="1"><mergeCell ref="' + ref + b'"/></mergeCells>'
        if b"<mergeCells" in xml:
            return re.sub(rb"<mergeCells[^>]*>", b'<mergeCells count="999">' + merge[len(b'<mergeCells count="1">'):
                                                                                  -len(b"</mergeCells>")], xml, 1)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
    return re.sub(rb'<c r="[A-Z]+\d+"', lambda m: b'<c r="' + ref.split(b":")[-1] + b'"'
                  if rng.random() < 0.05 else m.group(0), xml)


# --- one mutation ------------------------------------------------------------------------

def mutate(fmt: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """(what was done, mutated bytes) for a sample of format fmt."""
    kinds = ["flip", "truncate"] + (["pdf_stream"] if fmt == "pdf" else
                                     ["delete", "corrupt", "flags", "xml", "xml", "absurd", "absurd"])
    kind = rng.choice(kinds)
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return kind, bytes(out)
    if kind == "truncate":
        return kind, data[: rng.randrange(len(data))]
    if kind == "pdf_stream":
        starts = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
        out = bytearray(data)
        for at in rng.sample(starts, min(len(starts), rng.randint(1, 4))):
            for _ in range(rng.randint(1, 6)):
                out[min(at + rng.randrange(200), len(out) - 1)] ^= rng.randint(1, 255)
        return kind, bytes(out)
    members = zip_members(data)
    index = rng.randrange(len(members))
    if kind == "delete":
        return f"delete {members[index][0].filename}", build_zip(
            [(i.filename, b) for n, (i, b) in enumerate(members) if n != index])
    if kind == "corrupt":
        return f"corrupt {members[index][0].filename}", corrupt_member_stream(data, index, rng)
    if kind == "flags":
        flag, method, crc = rng.choice([(1, None, 0), (0, 99, 0), (0, 12, 0), (0, 14, 0), (0, None, 0x5A5A),
                                        (0x40, None, 0), (0, 0, 0)])
        return f"flags {flag}/{method}/{crc} {members[index][0].filename}", set_flags(data, index, flag, method, crc)
    xml_members = [n for n, (i, _) in enumerate(members) if i.filename.endswith((".xml", ".rels"))]
    if kind == "absurd":
        part = "word/document.xml" if fmt == "docx" else next(
            (i.filename for i, _ in members if i.filename.startswith("xl/worksheets/sheet")), "")
        mangle = absurd_docx_table if fmt == "docx" else absurd_xlsx_sheet
        changed = [(i.filename, mangle(b, rng) if i.filename == part else b) for i, b in members]
        return f"absurd {part}", build_zip(changed)
    index = rng.choice(xml_members)
    changed = [(i.filename, mangle_xml(b, rng) if n == index else b) for n, (i, b) in enumerate(members)]
    return f"xml {members[index][0].filename}", build_zip(changed)


# --- the worker ----------------------------------------------------------------------------

@dataclass
class Outcome:
    code: int | None  # None: killed (time or memory)
    stderr: str
    seconds: float
    rss_mb: float
    killed: str = ""  # "timeout" | "died"

    def faults(self) -> list[str]:
        """What breaks the contract: a traceback, a line that is not coded, an E110, a kill."""
        found = []
        if self.killed:
            found.append(self.killed)
        if self.code not in (0, 1, 2, None):
            found.append(f"exit {self.code}")
        if "Traceback" in self.stderr:
            found.append("traceback")
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        if any(not CODED_LINE.match(line) for line in lines):
            found.append("uncoded line")
        if any(line.startswith("[E110]") for line in lines):
            found.append("E110")
        return found


WORKER = r"""
import io, json, os, resource, sys, time, contextlib
from extractor.cli import main
import extractor.batch.work as work
work.warm_up()
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
limit = vm + int(sys.argv[1])  # the bound is on what a case adds to the warm process
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ready": base}), flush=True)
for line in sys.stdin:
    path, out = json.loads(line)
    err = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["check", path, "-o", out])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:
            import traceback; traceback.print_exc(); code = 99
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"code": code, "stderr": err.getvalue(), "seconds": time.monotonic() - started,
                      "rss_mb": (rss - base) / 1024}), flush=True)
"""


class Worker:
    """A warm `extractor check` process under RLIMIT_AS; restarted after a kill or when its
    peak RSS (which only grows) passes `recycle_mb`, so each case's growth stays measurable."""

    def __init__(self, memory_bytes: int = 2 << 30, timeout: float = 60.0, recycle_mb: float = 300.0) -> None:
        self.memory, self.timeout, self.recycle_mb = memory_bytes, timeout, recycle_mb
        self.proc: subprocess.Popen[str] | None = None
        self.grown = 0.0

    def _start(self) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(self.memory)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert proc.stdout is not None
        json.loads(proc.stdout.readline())
        self.grown = 0.0
        return proc

    def run(self, path: Path, out: Path) -> Outcome:
        import selectors
        import time

        if self.proc is None or self.proc.poll() is not None or self.grown > self.recycle_mb:
            self.close()
            self.proc = self._start()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        started = time.monotonic()
        self.proc.stdin.write(json.dumps([str(path), str(out)]) + "\n")
        self.proc.stdin.flush()
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        ready = selector.select(self.timeout)
        selector.close()
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            killed = "timeout" if not ready else "died"
            self.close()
            return Outcome(None, "", time.monotonic() - started, 0.0, killed)
        answer = json.loads(line)
        self.grown = max(self.grown, answer["rss_mb"])
        return Outcome(answer["code"], answer["stderr"], answer["seconds"], answer["rss_mb"])

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
