"""What a file is, from its content (never its name): puremagic for the signature,
then a look inside ZIP containers for the Office Open XML part that names the format."""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

import puremagic

HEAD_BYTES = 64 * 1024
MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
    "markdown": "text/markdown",
    "html": "text/html",
}
_OOXML_PARTS = (
    ("word/document.xml", "docx"),
    ("ppt/presentation.xml", "pptx"),
    ("xl/workbook.xml", "xlsx"),
)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


@dataclass(frozen=True)
class Detected:
    kind: str
    mime_type: str


class Unsupported(Exception):
    """Not a format the library takes; ``code`` says why (see services.REFUSALS)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


def detect(path, filename: str = "") -> Detected:
    """The kind and MIME type of the file at ``path``; raises Unsupported."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise Unsupported("empty")
    if head.startswith(b"PK\x03\x04"):
        return Detected(*_ooxml(path))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # Old binary Office files, and password-protected new ones, are OLE2 containers.
        raise Unsupported("ole", "legacy or password-protected Office file")
    matches = _magic(head)
    if head[:1024].lstrip().startswith(b"%PDF-") or any(
        m.extension == ".pdf" and m.offset == 0 for m in matches
    ):
        return Detected("pdf", MIME_TYPES["pdf"])
    text_kind = _text_kind(head, filename)
    if text_kind:
        return Detected(text_kind, MIME_TYPES[text_kind] + "; charset=utf-8")
    name = matches[0].name if matches else "binary data"
    raise Unsupported("type", name)


def _magic(head: bytes):
    try:
        return puremagic.magic_string(head)
    except puremagic.PureError:
        return []


def _ooxml(path) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unsupported("type", f"damaged ZIP archive: {error}") from None
    if "[Content_Types].xml" in names:
        for part, kind in _OOXML_PARTS:
            if part in names:
                return kind, MIME_TYPES[kind]
    raise Unsupported("type", "ZIP archive")


def _text_kind(head: bytes, filename: str) -> str | None:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if decode_text(head, strict=True) is None:
        return None
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    if filename.lower().endswith((".md", ".markdown")):
        return "markdown"
    return "txt"


def decode_text(data: bytes, strict: bool = False) -> str | None:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (older Chinese files)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of a head sample is not an error.
            if error.start >= len(data) - 4:
                text = data[: error.start].decode(encoding, errors="strict")
            else:
                continue
        if _looks_textual(text):
            return text
    return None if strict else data.decode("utf-8", errors="replace")


def _looks_textual(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for char in text[:4096] if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f")
    return controls <= len(text[:4096]) // 100


def safe_filename(name: str, fallback: str = "file") -> str:
    """A file name for display and download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name or fallback
