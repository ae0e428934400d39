"""The library: storing uploads once by content, their course, sharing, editing, extraction.

Files are stored under their SHA-256 (``materials/ab/cd/<hash>``); the name a user
gave is kept for display and download only, never used as a path.
"""

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum import permissions, validation
from forum.cohorts.models import Cohort
from forum.courses.services import find_or_create_course
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.materials import filetypes
from forum.materials.extraction import run_extraction
from forum.materials.models import Material, MaterialPage
from forum.search.jobs import enqueue
from forum.settings import upload_limit_mb
from forum.utils import utcnow

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
MAX_TAGS = 20

# Why a file was refused or is not searchable, by the code stored in status_reason.
REASONS = {
    "malformed": _l("The file is damaged or malformed."),
    "zip_bomb": _l("The file expands to far more data than it holds (a possible zip bomb)."),
    "encrypted": _l("The file is password-protected."),
    "no_text": _l("No text was found (a scan or images only)."),
    "timeout": _l("Reading the file took too long."),
    "crashed": _l("Reading the file failed."),
    "too_large": _l("The file is too large to read."),
    "truncated": _l("Only the first part of a very long file is searchable."),
    "missing_file": _l("The stored file is missing."),
    "index_error": _l("Indexing failed repeatedly."),
}


def reason_text(reason: str) -> str:
    """A stored reason ("code: detail") as a sentence for people."""
    if not reason:
        return ""
    code, _sep, detail = reason.partition(":")
    text = REASONS.get(code.strip())
    if text is None:
        return reason
    return f"{text} ({detail.strip()})" if detail.strip() else str(text)


def refusal(error: filetypes.Unsupported) -> ServiceError:
    """The clear message for a file the library does not take."""
    if error.code == "empty":
        return ServiceError("empty_file", _("The file is empty."), 400, "file")
    if error.code == "ole":
        message = _(
            "Old Office formats (.doc, .ppt, .xls) and password-protected Office files are not "
            "supported: save it as DOCX, PPTX or XLSX without a password."
        )
    else:
        message = _(
            "This kind of file (%(kind)s) is not supported. Upload PDF, DOCX, PPTX, XLSX, TXT, "
            "Markdown or HTML.",
            kind=error.detail or _("unknown"),
        )
    return ServiceError("unsupported_type", message, 415, "file")


def max_upload_bytes() -> int:
    return upload_limit_mb() * 1024 * 1024


def too_large_error() -> ServiceError:
    return ServiceError(
        "too_large",
        _(
            "The file is larger than the limit of %(mb)d MB.",
            mb=max_upload_bytes() // (1024 * 1024),
        ),
        413,
        "file",
    )


def materials_dir() -> Path:
    return Path(current_app.config["FORUM_MATERIALS_DIR"])


def material_path(material: Material) -> Path:
    digest = material.content_hash
    return materials_dir() / digest[:2] / digest[2:4] / digest


def _receive(stream) -> tuple[Path, str, int]:
    """Copy an upload to a temporary file, hashing it and enforcing the size limit."""
    limit = max_upload_bytes()
    tmp_dir = materials_dir() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise too_large_error()
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), digest.hexdigest(), size


def clean_tags(value) -> str:
    """Tags from a comma-separated string or a list: trimmed, unique, each at most 40 characters."""
    if value is None:
        return ""
    if isinstance(value, str):
        items = value.replace("，", ",").split(",")
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise ServiceError("invalid", _("%(field)s must be text.", field="tags"), 400, "tags")
    tags = []
    for item in items:
        tag = validation.text(item, "tags", max_length=40, min_length=0).replace(",", " ")
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ServiceError("too_many", _("At most %(n)d tags.", n=MAX_TAGS), 400, "tags")
    return ",".join(tags)


def _year(value):
    if value in (None, ""):
        return None
    return validation.integer(value, "year", minimum=1949, maximum=2200)


def upload_material(
    actor,
    stream,
    filename: str,
    *,
    title=None,
    cohort=None,
    course=None,
    college_wide=False,
    lecturer=None,
    year=None,
    tags=None,
) -> tuple[Material, bool]:
    """Store a file once (by content) and queue it for extraction; ``(material, created)``.

    ``actor`` None is the command line (trusted). The same content uploaded again is
    the same material: it is shared with the new cohort, nothing else changes.
    """
    if actor is not None and not permissions.can_upload_material(actor):
        raise Forbidden(_("Only instructors and administrators add materials."))
    if cohort is not None and actor is not None and not permissions.can_share_material_with(actor, cohort):
        raise Forbidden(_("You cannot share materials with this class."))
    college_wide = validation.boolean(bool(college_wide), "college_wide")
    if college_wide and actor is not None and not permissions.can_share_college_wide(actor):
        raise Forbidden(_("You cannot share materials with the whole college."))
    original = filetypes.safe_filename(filename)
    title = validation.text(
        title or Path(original).stem or original, "title", max_length=current_app.config["FORUM_TITLE_MAX"]
    )
    lecturer = validation.text(lecturer or "", "lecturer", max_length=120, min_length=0)
    year = _year(year)
    tags = clean_tags(tags)
    tmp_path, digest, size = _receive(stream)
    try:
        existing = db.session.execute(select(Material).filter_by(content_hash=digest)).scalar_one_or_none()
        if existing is not None:
            return _duplicate(actor, existing, cohort, college_wide), False
        try:
            detected = filetypes.detect(tmp_path, original)
        except filetypes.Unsupported as error:
            raise refusal(error) from None
        course_obj = find_or_create_course(course, lecturer, year) if course else None
        material = Material(
            content_hash=digest,
            title=title,
            original_filename=original,
            mime_type=detected.mime_type,
            kind=detected.kind,
            size=size,
            course_id=course_obj.id if course_obj else None,
            lecturer=lecturer or (course_obj.lecturer if course_obj else ""),
            year=year or (course_obj.year if course_obj else None),
            tags=tags,
            status="queued",
            college_wide=college_wide,
            uploaded_by_id=actor.id if actor is not None else None,
            created_at=utcnow(),
        )
        target = material_path(material)
        try:
            # A savepoint: if the same file arrives twice at once, only this insert is undone
            # and the rest of the caller's unit of work goes on.
            with db.session.begin_nested():
                db.session.add(material)
                _share(material, cohort, college_wide)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(tmp_path), target)
                db.session.flush()
        except IntegrityError:
            # The other upload stored it (the same content, so the same file).
            existing = db.session.execute(select(Material).filter_by(content_hash=digest)).scalar_one()
            return existing, False
    finally:
        tmp_path.unlink(missing_ok=True)

    enqueue("material", material.id)
    return material, True


def _duplicate(actor, existing: Material, cohort, college_wide: bool) -> Material:
    """The same content again: share the stored material where this upload was going."""
    before = ({c.id for c in existing.cohorts}, existing.college_wide)
    _share(existing, cohort, college_wide)
    db.session.flush()
    if ({c.id for c in existing.cohorts}, existing.college_wide) != before:
        _reindex(existing)
    if actor is not None and not permissions.can_view_material(actor, existing):
        raise ServiceError(
            "duplicate",
            _("This file is already in the library. Share it with one of your classes to use it."),
            409,
            "file",
        )
    return existing


def _share(material: Material, cohort, college_wide: bool) -> None:
    if cohort is not None and cohort not in material.cohorts:
        material.cohorts.append(cohort)
    if college_wide:
        material.college_wide = True


def share_material(actor, material: Material, cohort=None, college_wide: bool | None = None) -> Material:
    """Share an existing material with another cohort, or with the whole college."""
    if not permissions.can_view_material(actor, material):
        raise Forbidden()
    if cohort is not None and not permissions.can_share_material_with(actor, cohort):
        raise Forbidden(_("You cannot share materials with this class."))
    if college_wide and not permissions.can_share_college_wide(actor):
        raise Forbidden(_("You cannot share materials with the whole college."))
    _share(material, cohort, bool(college_wide))
    db.session.flush()
    _reindex(material)
    return material


def update_material(
    actor,
    material: Material,
    *,
    title=None,
    course=None,
    lecturer=None,
    year=None,
    tags=None,
    cohort_ids=None,
    college_wide=None,
) -> Material:
    """Edit a material's details; ``None`` leaves a field as it is."""
    if not permissions.can_edit_material(actor, material):
        raise Forbidden()
    if title is not None:
        material.title = validation.text(title, "title", max_length=current_app.config["FORUM_TITLE_MAX"])
    if lecturer is not None:
        material.lecturer = validation.text(lecturer, "lecturer", max_length=120, min_length=0)
    if year is not None:
        material.year = _year(year)
    if tags is not None:
        material.tags = clean_tags(tags)
    if course is not None:
        found = find_or_create_course(course, material.lecturer, material.year)
        material.course_id = found.id if found else None
    if college_wide is not None:
        college_wide = validation.boolean(college_wide, "college_wide")
        if college_wide != material.college_wide and not permissions.can_share_college_wide(actor):
            raise Forbidden(_("You cannot share materials with the whole college."))
        material.college_wide = college_wide
    if cohort_ids is not None:
        _set_cohorts(actor, material, cohort_ids)
    db.session.flush()
    _reindex(material)
    return material


def _set_cohorts(actor, material: Material, cohort_ids) -> None:
    """Change the cohorts shared with, touching only cohorts the actor manages."""
    wanted = {validation.integer(i, "cohorts", minimum=1) for i in cohort_ids}
    current = {cohort.id for cohort in material.cohorts}
    for cohort_id in wanted ^ current:
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None or not permissions.can_share_material_with(actor, cohort):
            raise Forbidden(_("You cannot share materials with this class."))
        if cohort_id in wanted:
            material.cohorts.append(cohort)
        else:
            material.cohorts.remove(cohort)


def _reindex(material: Material) -> None:
    enqueue("material", material.id)


def extract_material(material: Material) -> None:
    """Read the stored file in a child process and keep its pages (worker only)."""
    path = material_path(material)
    if not path.exists():
        result = {"status": "failed", "reason": "missing_file", "pages": []}
    else:
        timeout = float(current_app.config.get("FORUM_EXTRACT_TIMEOUT", 120))
        result = run_extraction(str(path), material.kind, timeout)
    db.session.execute(delete(MaterialPage).where(MaterialPage.material_id == material.id))
    for number, text in result.get("pages", []):
        db.session.add(MaterialPage(material_id=material.id, number=int(number), text=text))
    material.page_count = len(result.get("pages", []))
    material.status = (
        result["status"] if result["status"] in ("indexed", "failed", "unsearchable") else "failed"
    )
    material.status_reason = (result.get("reason") or "")[:500]
    db.session.flush()
    log.info("material %s extracted: %s %s", material.id, material.status, material.status_reason)


def mark_indexed(material: Material) -> None:
    material.indexed_at = utcnow()
    db.session.flush()


def mark_failed(material_id: int, reason: str) -> None:
    material = db.session.get(Material, material_id)
    if material is not None:
        material.status, material.status_reason = "failed", reason
        db.session.flush()


def reextract(actor, material: Material) -> Material:
    """Read the file again (after a fix in extraction, or a failed attempt)."""
    if not permissions.can_edit_material(actor, material):
        raise Forbidden()
    material.status, material.status_reason = "queued", ""
    db.session.flush()
    _reindex(material)
    return material


def page_texts(material: Material, numbers=None) -> list[MaterialPage]:
    stmt = select(MaterialPage).where(MaterialPage.material_id == material.id).order_by(MaterialPage.number)
    if numbers is not None:
        stmt = stmt.where(MaterialPage.number.in_(list(numbers)))
    return db.session.execute(stmt).scalars().all()
