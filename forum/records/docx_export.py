"""The record as a DOCX file (python-docx) whose East Asian font is SimSun (宋体), set
through ``w:eastAsia`` so Word renders the Chinese text in it."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import format_datetime
from flask_babel import gettext as _

from forum.sanitize import plain_text

EAST_ASIAN_FONT = "SimSun"
LATIN_FONT = "Times New Roman"
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3")


def _set_fonts(document) -> None:
    for name in STYLES:
        style = document.styles[name]
        style.font.name = LATIN_FONT
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = r_pr.makeelement(qn("w:rFonts"), {})
            r_pr.append(fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        # A theme font would win over the explicit one in Word: drop the theme hints.
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    document.styles["Normal"].font.size = Pt(11)


def _text(document, html: str) -> None:
    for block in plain_text(html).split("\n\n"):
        block = block.strip()
        if block:
            document.add_paragraph(block)


def _entry(document, entry, label: str) -> None:
    heading = document.add_paragraph()
    run = heading.add_run(
        f"{label} · {entry.author} · {format_datetime(entry.created_at, 'yyyy-MM-dd HH:mm')}"
    )
    run.bold = True
    _text(document, entry.body_html)


def to_docx(record) -> bytes:
    """The whole record as DOCX bytes."""
    document = Document()
    _set_fonts(document)
    document.core_properties.title = record.thread.title
    document.add_heading(record.thread.title, level=0)
    document.add_paragraph(
        _(
            "%(cohort)s · %(board)s · exported %(when)s",
            cohort=record.cohort.name,
            board=record.thread.board.name,
            when=format_datetime(record.generated_at, "yyyy-MM-dd HH:mm"),
        )
    )
    if record.brief is not None:
        document.add_heading(_("Case brief"), level=1)
        if record.brief.background_html:
            document.add_heading(_("Background"), level=2)
            _text(document, record.brief.background_html)
        if record.brief.questions_html:
            document.add_heading(_("Questions for discussion"), level=2)
            _text(document, record.brief.questions_html)
        if record.teaching_notes:
            document.add_heading(_("Teaching notes"), level=2)
            _text(document, record.brief.teaching_notes_html)
    if record.opening is not None:
        document.add_heading(_("Opening post"), level=1)
        _entry(document, record.opening, "#1")
    if record.summary is not None:
        document.add_heading(_("Summary"), level=1)
        _text(document, record.summary.body_html)
    if record.featured:
        document.add_heading(_("Featured posts"), level=1)
        for entry in record.featured:
            _entry(document, entry, f"#{entry.number}")
    document.add_heading(_("Replies"), level=1)
    if not record.replies:
        document.add_paragraph(_("No replies."))
    for entry in record.replies:
        _entry(document, entry, f"#{entry.number}")
    for transcript in record.transcripts:
        document.add_heading(_("Live room transcript: %(name)s", name=transcript.room_name), level=1)
        for message in transcript.messages:
            line = document.add_paragraph()
            line.add_run(f"{format_datetime(message.created_at, 'HH:mm')} {message.author}: ").bold = True
            line.add_run(plain_text(message.body_html))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
