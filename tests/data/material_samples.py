"""Real sample files for the materials and search tests, made on the fly (python-docx,
python-pptx, fpdf2, openpyxl, pypdf), plus hostile ones (zip bomb, malformed PDF,
an executable). Only tiny files are kept in the repository."""

import io
import zipfile
from functools import lru_cache
from pathlib import Path

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def cjk_font() -> str | None:
    """A font with Chinese glyphs for fpdf2 (apt: fonts-noto-cjk), or None."""
    return next((path for path in CJK_FONTS if Path(path).exists()), None)


def docx_bytes(pages: list[str]) -> bytes:
    """A Word document with an explicit page break between the given texts."""
    import docx

    document = docx.Document()
    for index, text in enumerate(pages):
        if index:
            document.add_page_break()
        for line in text.split("\n"):
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(slides: list[tuple[str, str]]) -> bytes:
    """A deck with one slide per (title, body)."""
    from pptx import Presentation

    deck = Presentation()
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


@lru_cache(maxsize=8)
def _pdf(pages: tuple[str, ...], font: str | None) -> bytes:
    return _make_pdf(list(pages), font)


def pdf_bytes(pages: list[str], font: str | None = None) -> bytes:
    """A PDF with one page per text (a CJK font is needed for Chinese; made once per run,
    since embedding a CJK font takes seconds)."""
    return _pdf(tuple(pages), font)


def _make_pdf(pages: list[str], font: str | None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if font:
        pdf.add_font("cjk", fname=font)
        pdf.set_font("cjk", size=12)
    else:
        pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text=text)
    return bytes(pdf.output())


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(["secret budget figures"]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="s3cret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx(expanded_mb: int = 200) -> bytes:
    """A valid-looking DOCX whose document.xml inflates ~1000x (a few hundred KB on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
        )
        with archive.open("word/document.xml", "w") as member:
            block = b" " * (1024 * 1024)
            for _ in range(expanded_mb):
                member.write(block)
    return out.getvalue()


def malformed_pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer << /Root 9 0 R >>\n%%EOF garbage \x00\xff"


def executable_bytes() -> bytes:
    """The start of a Windows executable (MZ header, PE signature)."""
    header = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43)
    header[0x3C:0x40] = (64).to_bytes(4, "little")
    return bytes(header) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
