"""PDF export through LibreOffice, and the WPS fake-bold imitation (every text op drawn twice)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

PROFILE = "file:///tmp/lo_profile_C"
SHIFT = 0.3  # points: WPS draws a second copy of each glyph run this far to the right


def export_pdf(docx: Path, pdf: Path) -> None:
    """DOCX -> PDF with soffice in an isolated profile; the PDF replaces pdf."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.docx"
        shutil.copyfile(docx, src)
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation={PROFILE}",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / "in.pdf", pdf)


def fake_bold(pdf: Path, out: Path) -> None:
    """Copy pdf to out with every BT..ET block repeated, shifted +0.3pt in device space."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream, FloatObject, NameObject

    reader = PdfReader(str(pdf))
    writer = PdfWriter()
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        ops, block = [], []
        for operands, operator in content.operations:
            ops.append((operands, operator))
            if operator == b"BT":
                block = []
            block.append((operands, operator))
            if operator == b"ET":
                shift = [
                    FloatObject(1),
                    FloatObject(0),
                    FloatObject(0),
                    FloatObject(1),
                    FloatObject(SHIFT),
                    FloatObject(0),
                ]
                ops += [([], b"q"), (shift, b"cm")] + block + [([], b"Q")]
        content.operations = ops
        page[NameObject("/Contents")] = writer._add_object(content)
        writer.add_page(page)
    with out.open("wb") as fh:
        writer.write(fh)
