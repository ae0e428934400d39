"""The materials library in the JSON API: upload (multipart), read, list, edit."""

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from forum import permissions
from forum.api import bp
from forum.api.common import (
    PAGE_PARAMETERS,
    api_user,
    document,
    error_responses,
    json_body,
    page_schema,
    paginate,
    path_param,
    schema,
)
from forum.cohorts.models import Cohort
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.materials import services
from forum.materials.models import MATERIAL_KINDS, MaterialPage
from forum.materials.views import library_query
from forum.utils import isoformat
from forum.validation import text

UPLOAD_FIELDS = ("title", "cohort", "course", "lecturer", "year", "tags", "college_wide")


def material_json(material, viewer) -> dict:
    """A material as the API shows it (cohorts limited to those the viewer may see)."""
    course = material.course
    return {
        "id": material.id,
        "url": url_for("materials.material", material_id=material.id),
        "download_url": url_for("materials.download", material_id=material.id),
        "title": material.title,
        "original_filename": material.original_filename,
        "mime_type": material.mime_type,
        "kind": material.kind,
        "size": material.size,
        "course": {"id": course.id, "name": course.name, "lecturer": course.lecturer, "year": course.year}
        if course
        else None,
        "lecturer": material.lecturer,
        "year": material.year,
        "tags": material.tag_list,
        "status": material.status,
        "status_reason": material.status_reason,
        "status_message": services.reason_text(material.status_reason),
        "page_count": material.page_count,
        "college_wide": material.college_wide,
        "cohorts": [c.slug for c in material.cohorts if permissions.can_view_cohort(viewer, c)],
        "uploaded_by": material.uploaded_by.username if material.uploaded_by else None,
        "created_at": isoformat(material.created_at),
        "indexed_at": isoformat(material.indexed_at),
    }


def _cohort(slug, user):
    if slug in (None, ""):
        return None
    slug = text(slug, "cohort", max_length=64)
    cohort = db.session.execute(select(Cohort).filter_by(slug=slug.lower())).scalar_one_or_none()
    if cohort is None or not permissions.can_view_cohort(user, cohort):
        raise ServiceError("invalid", _("Unknown class."), 400, "cohort")
    return cohort


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


@bp.post("/materials")
def upload_material():
    """Upload a file (multipart ``file``); the same content again returns the stored one (200)."""
    user = api_user()
    if not permissions.can_upload_material(user):
        raise Forbidden(_("Only instructors and administrators add materials."))
    request.max_content_length = services.max_upload_bytes() + 256 * 1024
    try:
        upload = request.files.get("file")
        form = request.form
    except RequestEntityTooLarge:
        raise services.too_large_error() from None
    if not request.mimetype.startswith("multipart/form-data"):
        raise ServiceError(
            "invalid", _("Send the file as multipart/form-data in the field file."), 415, "file"
        )
    if upload is None or not upload.filename:
        raise ServiceError("required", _("%(field)s is required.", field="file"), 400, "file")
    unknown = sorted(set(form) - set(UPLOAD_FIELDS))
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.", name=unknown[0]), 400, unknown[0])
    material, created = services.upload_material(
        user,
        upload.stream,
        upload.filename,
        title=form.get("title") or None,
        cohort=_cohort(form.get("cohort"), user),
        course=form.get("course") or None,
        lecturer=form.get("lecturer") or None,
        year=form.get("year") or None,
        tags=form.get("tags") or None,
        college_wide=_flag(form.get("college_wide")),
    )
    body = material_json(material, user)
    body["duplicate"] = not created
    return jsonify(body), 201 if created else 200


@bp.get("/materials")
def list_materials():
    """Materials the caller may see, newest first (filters: q, course, year, kind, cohort, tag)."""
    user = api_user()
    args = request.args
    filters = {
        "q": args.get("q", "")[:200].strip(),
        "course": args.get("course", type=int),
        "year": args.get("year", type=int),
        "kind": args.get("kind") if args.get("kind") in MATERIAL_KINDS else "",
        "cohort": args.get("cohort", "")[:64],
        "tag": args.get("tag", "")[:40],
    }
    return jsonify(paginate(library_query(user, filters), lambda m: material_json(m, user)))


@bp.get("/materials/<int:material_id>")
def get_material(material_id):
    """One material: details and indexing status."""
    user = api_user()
    return jsonify(material_json(permissions.get_material_or_404(material_id, user), user))


@bp.get("/materials/<int:material_id>/pages")
def material_pages(material_id):
    """The extracted text, one item per page or slide."""
    user = api_user()
    material = permissions.get_material_or_404(material_id, user)
    stmt = select(MaterialPage).where(MaterialPage.material_id == material.id).order_by(MaterialPage.number)
    return jsonify(paginate(stmt, lambda p: {"number": p.number, "text": p.text}))


@bp.patch("/materials/<int:material_id>")
def edit_material(material_id):
    """Edit title, course, lecturer, year, tags, cohorts (slugs) and college_wide."""
    user = api_user()
    material = permissions.get_material_or_404(material_id, user)
    data = json_body(optional=("title", "course", "lecturer", "year", "tags", "cohorts", "college_wide"))
    cohort_ids = None
    if "cohorts" in data:
        if not isinstance(data["cohorts"], list) or len(data["cohorts"]) > 200:
            raise ServiceError("invalid", _("%(field)s must be a list.", field="cohorts"), 400, "cohorts")
        cohort_ids = [_cohort(slug, user).id for slug in data["cohorts"]]
    year = data.get("year")
    services.update_material(
        user,
        material,
        title=data.get("title"),
        course=data.get("course"),
        lecturer=data.get("lecturer"),
        year="" if "year" in data and year is None else year,
        tags=data.get("tags"),
        cohort_ids=cohort_ids,
        college_wide=data.get("college_wide"),
    )
    return jsonify(material_json(material, user))


def _json(name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


_ID = path_param("material_id")
schema(
    "Material",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "download_url": {"type": "string"},
            "title": {"type": "string"},
            "original_filename": {"type": "string"},
            "mime_type": {"type": "string"},
            "kind": {"type": "string", "enum": list(MATERIAL_KINDS)},
            "size": {"type": "integer"},
            "course": {
                "type": "object",
                "nullable": True,
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "lecturer": {"type": "string"},
                    "year": {"type": "integer", "nullable": True},
                },
            },
            "lecturer": {"type": "string"},
            "year": {"type": "integer", "nullable": True},
            "tags": {"type": "array", "items": {"type": "string"}},
            "status": {"type": "string", "enum": ["queued", "indexed", "failed", "unsearchable"]},
            "status_reason": {"type": "string"},
            "status_message": {"type": "string"},
            "page_count": {"type": "integer"},
            "college_wide": {"type": "boolean"},
            "cohorts": {"type": "array", "items": {"type": "string"}},
            "uploaded_by": {"type": "string", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "indexed_at": {"type": "string", "format": "date-time", "nullable": True},
            "duplicate": {"type": "boolean", "description": "Upload only: the content was already stored."},
        },
    },
)
schema("MaterialPage", page_schema("Material"))
document(
    "/materials",
    {
        "post": {
            "summary": "Upload a material (instructors, admins)",
            "tags": ["materials"],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "title": {"type": "string", "maxLength": 200},
                                "cohort": {"type": "string"},
                                "course": {"type": "string", "maxLength": 200},
                                "lecturer": {"type": "string", "maxLength": 120},
                                "year": {"type": "integer"},
                                "tags": {"type": "string"},
                                "college_wide": {"type": "boolean"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {"description": "Stored and queued for indexing", "content": _json("Material")},
                "200": {"description": "Already stored (same content)", "content": _json("Material")},
                **error_responses(400, 401, 403, 409, 413, 415),
            },
        },
        "get": {
            "summary": "Materials the caller may see",
            "tags": ["materials"],
            "parameters": [
                *PAGE_PARAMETERS,
                *(
                    {"name": n, "in": "query", "schema": {"type": t}}
                    for n, t in (
                        ("q", "string"),
                        ("course", "integer"),
                        ("year", "integer"),
                        ("kind", "string"),
                        ("cohort", "string"),
                        ("tag", "string"),
                    )
                ),
            ],
            "responses": {
                "200": {"description": "Materials", "content": _json("MaterialPage")},
                **error_responses(400, 401),
            },
        },
    },
)
document(
    "/materials/{material_id}",
    {
        "get": {
            "summary": "A material and its indexing status",
            "tags": ["materials"],
            "parameters": [_ID],
            "responses": {
                "200": {"description": "The material", "content": _json("Material")},
                **error_responses(401, 404),
            },
        },
        "patch": {
            "summary": "Edit a material",
            "tags": ["materials"],
            "parameters": [_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "title": {"type": "string"},
                                "course": {"type": "string"},
                                "lecturer": {"type": "string"},
                                "year": {"type": "integer", "nullable": True},
                                "tags": {"type": "array", "items": {"type": "string"}},
                                "cohorts": {"type": "array", "items": {"type": "string"}},
                                "college_wide": {"type": "boolean"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {"description": "The material", "content": _json("Material")},
                **error_responses(400, 401, 403, 404, 415),
            },
        },
    },
)
document(
    "/materials/{material_id}/pages",
    {
        "get": {
            "summary": "Extracted text by page or slide",
            "tags": ["materials"],
            "parameters": [_ID, *PAGE_PARAMETERS],
            "responses": {
                "200": {
                    "description": "Pages",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "items": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "number": {"type": "integer"},
                                                "text": {"type": "string"},
                                            },
                                        },
                                    },
                                    "page": {"type": "integer"},
                                    "per_page": {"type": "integer"},
                                    "total": {"type": "integer"},
                                    "pages": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                **error_responses(400, 401, 404),
            },
        },
    },
)
