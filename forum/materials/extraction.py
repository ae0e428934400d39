"""Text extraction with page or slide numbers, run in a child process.

A hostile or broken file can hang a parser or eat memory, so the worker runs this
file as a separate process (``run_extraction``) with a timeout, CPU and memory
limits, and ZIP containers are measured before any parser opens them. The child
prints one JSON object: ``{"status", "reason", "pages": [[number, text], ...]}``.
Statuses: indexed (text found), unsearchable (valid but no text, or encrypted),
failed (malformed or refused; ``reason`` says why).
"""

import json
import os
import resource
import subprocess
import sys
import zipfile
from html.parser import HTMLParser

if __package__:
    from forum.materials.filetypes import decode_text
else:  # run as a script (the child): this folder is on sys.path, the app is not loaded
    from filetypes import decode_text

DEFAULT_LIMITS = {
    "max_pages": 2000,
    "max_chars": 2_000_000,
    "max_page_chars": 100_000,
    "max_unzipped_bytes": 300 * 1024 * 1024,
    "max_zip_ratio": 100,
    "max_zip_members": 10_000,
    "max_cells": 500_000,
    "memory_bytes": 1536 * 1024 * 1024,
}


class Refused(Exception):
    """The file cannot be extracted: ``status`` (failed|unsearchable) and a reason code."""

    def __init__(self, status: str, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.status = status
        self.code = code
        self.detail = detail


class Pages:
    """Collects page texts within the character limits."""

    def __init__(self, limits: dict):
        self.limits = limits
        self.items: list[list] = []
        self.total = 0
        self.truncated = False

    def add(self, number: int, text: str) -> bool:
        """Keep a page's text; False once the material's character budget is spent."""
        text = (text or "").replace("\x00", "").strip()
        if len(self.items) >= self.limits["max_pages"]:
            self.truncated = True
            return False
        text = text[: self.limits["max_page_chars"]]
        room = self.limits["max_chars"] - self.total
        if len(text) > room:
            text, self.truncated = text[:room], True
        self.total += len(text)
        self.items.append([number, text])
        return self.total < self.limits["max_chars"]


def check_zip(path: str, limits: dict) -> None:
    """Refuse ZIP bombs before a parser inflates anything: sizes, ratio, member count."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Refused("failed", "malformed", str(error)[:200]) from None
    if len(members) > limits["max_zip_members"]:
        raise Refused("failed", "zip_bomb", f"{len(members)} members")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > limits["max_zip_ratio"]:
            raise Refused("failed", "zip_bomb", f"{member.filename} expands {int(ratio)}x")
    if total > limits["max_unzipped_bytes"]:
        raise Refused("failed", "zip_bomb", f"{total} bytes uncompressed")


def extract_pdf(path: str, pages: Pages) -> None:
    from pypdf import PdfReader  # heavy file-format library, loaded when a file of its kind comes
    from pypdf.errors import FileNotDecryptedError, PdfReadError  # with pypdf, on first use

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise Refused("unsearchable", "encrypted")
            except (FileNotDecryptedError, NotImplementedError) as error:
                raise Refused("unsearchable", "encrypted", str(error)[:200]) from None
        count = len(reader.pages)
    except Refused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as error:
        raise Refused("failed", "malformed", str(error)[:200]) from None
    for index in range(min(count, pages.limits["max_pages"])):
        try:
            text = reader.pages[index].extract_text() or ""
        except Exception as error:  # one broken page must not lose the others
            text = ""
            pages.truncated = pages.truncated or bool(error)
        if not pages.add(index + 1, text):
            break


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(path: str, pages: Pages) -> None:
    """Word has no stored pages: explicit page breaks (and Word's last rendered ones) count."""
    import docx  # heavy file-format library, loaded when a file of its kind comes

    check_zip(path, pages.limits)
    try:
        body = docx.Document(path).element.body
    except Exception as error:
        raise Refused("failed", "malformed", str(error)[:200]) from None
    number, parts = 1, []

    def new_page():
        nonlocal number, parts
        if "".join(parts).strip():
            pages.add(number, "".join(parts))
            number += 1
        parts = []

    tags = (f"{_W}p", f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}lastRenderedPageBreak", f"{_W}pageBreakBefore")
    for element in body.iter(*tags):
        tag = element.tag
        if tag == f"{_W}t":
            parts.append(element.text or "")
        elif tag == f"{_W}p":
            parts.append("\n")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag == f"{_W}br":
            if element.get(f"{_W}type") == "page":
                new_page()
            else:
                parts.append("\n")
        else:
            new_page()
        if pages.total + sum(map(len, parts)) > pages.limits["max_chars"]:
            break
    new_page()


def _shape_texts(shapes):
    for shape in shapes:
        if shape.shape_type == 6 and hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes)
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(cell.text for cell in row.cells)


def extract_pptx(path: str, pages: Pages) -> None:
    from pptx import Presentation  # heavy file-format library, loaded when a file of its kind comes

    check_zip(path, pages.limits)
    try:
        deck = Presentation(path)
        slides = list(deck.slides)
    except Exception as error:
        raise Refused("failed", "malformed", str(error)[:200]) from None
    for number, slide in enumerate(slides, start=1):
        texts = list(_shape_texts(slide.shapes))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            texts.append(slide.notes_slide.notes_text_frame.text)
        if not pages.add(number, "\n".join(t for t in texts if t)):
            break


def extract_xlsx(path: str, pages: Pages) -> None:
    from openpyxl import load_workbook  # heavy file-format library, loaded when a file of its kind comes

    check_zip(path, pages.limits)
    handle = open(path, "rb")  # a file object: openpyxl judges a path by its extension
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:
        handle.close()
        raise Refused("failed", "malformed", str(error)[:200]) from None
    cells = 0
    for number, sheet in enumerate(workbook.worksheets, start=1):
        lines = [sheet.title]
        for row in sheet.iter_rows(values_only=True):
            values = [str(value) for value in row if value not in (None, "")]
            cells += len(row)
            if values:
                lines.append("\t".join(values))
            if cells > pages.limits["max_cells"]:
                pages.truncated = True
                break
        if not pages.add(number, "\n".join(lines)) or cells > pages.limits["max_cells"]:
            break
    workbook.close()
    handle.close()


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "template", "noscript", "head"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _read_text(path: str, limits: dict) -> str:
    with open(path, "rb") as handle:
        data = handle.read(limits["max_chars"] * 4)
    return decode_text(data) or ""


def extract_text(path: str, pages: Pages) -> None:
    for number, part in enumerate(_read_text(path, pages.limits).split("\f"), start=1):
        if not pages.add(number, part):
            break


def extract_html(path: str, pages: Pages) -> None:
    parser = _HTMLText()
    parser.feed(_read_text(path, pages.limits))
    parser.close()
    pages.add(1, "".join(parser.parts))


EXTRACTORS = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "pptx": extract_pptx,
    "xlsx": extract_xlsx,
    "txt": extract_text,
    "markdown": extract_text,
    "html": extract_html,
}


def extract(path: str, kind: str, limits: dict | None = None) -> dict:
    """Extract in this process (the child calls this); never raises for a bad file."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    pages = Pages(limits)
    try:
        EXTRACTORS[kind](path, pages)
    except Refused as refusal:
        return {"status": refusal.status, "reason": str(refusal), "pages": []}
    except MemoryError:
        return {"status": "failed", "reason": "too_large: out of memory", "pages": []}
    except RecursionError:
        return {"status": "failed", "reason": "malformed: nested too deeply", "pages": []}
    found = [page for page in pages.items if page[1]]
    if not found:
        return {"status": "unsearchable", "reason": "no_text", "pages": []}
    reason = "truncated" if pages.truncated else ""
    return {"status": "indexed", "reason": reason, "pages": pages.items}


def run_extraction(path: str, kind: str, timeout: float, limits: dict | None = None) -> dict:
    """Extract in a child process; a timeout or a crash becomes a failed result."""
    request = json.dumps({"path": str(path), "kind": kind, "limits": limits or {}, "timeout": timeout})
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    try:
        done = subprocess.run(
            [sys.executable, "-X", "utf8", os.path.abspath(__file__)],
            input=request.encode(),
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": "failed", "reason": f"timeout: more than {int(timeout)} s", "pages": []}
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["exit status"])[-1]
        return {"status": "failed", "reason": f"crashed: {last[:200]}", "pages": []}
    try:
        result = json.loads(done.stdout)
    except ValueError:
        return {"status": "failed", "reason": "crashed: unreadable output", "pages": []}
    return result


def _child() -> None:
    request = json.loads(sys.stdin.buffer.read())
    limits = {**DEFAULT_LIMITS, **request.get("limits", {})}
    try:
        memory = limits["memory_bytes"]
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = int(request.get("timeout", 120)) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, ValueError, OSError):
        pass
    result = extract(request["path"], request["kind"], limits)
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    _child()
