"""The OpenAPI 3 document of the JSON API, ``GET /api/v1/openapi.json`` (public).

Assembled on each request from what every API module registered with
``document()`` and ``schema()`` (forum/api/common.py), so modules imported after
this one are included too. Paths may be given relative to ``/api/v1`` and in
Flask's ``<int:id>`` or OpenAPI's ``{id}`` form; undeclared path parameters are added.
"""

import copy
import re

from flask import current_app, jsonify

from forum.api import bp
from forum.api.common import ERROR_SCHEMA, OPENAPI_PATHS, OPENAPI_SCHEMAS, document, path_param

PREFIX = "/api/v1"
_FLASK_PARAM = re.compile(r"<(?:[^<>:]+:)?([A-Za-z_][A-Za-z0-9_]*)>")
_OPENAPI_PARAM = re.compile(r"{([^{}]+)}")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def openapi_path(path: str) -> str:
    """``/boards/<int(max=9):board_id>`` -> ``/api/v1/boards/{board_id}``."""
    path = _FLASK_PARAM.sub(r"{\1}", path)
    if not path.startswith(PREFIX + "/") and path != PREFIX:
        path = PREFIX + (path if path.startswith("/") else "/" + path)
    return path


def _declare_path_parameters(path: str, item: dict) -> None:
    """Add a path-level parameter for every ``{name}`` no operation declares."""
    declared = {p.get("name") for p in item.get("parameters", []) if p.get("in") == "path"}
    for method in METHODS:
        for param in (item.get(method) or {}).get("parameters", []):
            if param.get("in") == "path":
                declared.add(param.get("name"))
    for name in _OPENAPI_PARAM.findall(path):
        if name not in declared:
            kind = "integer" if name == "id" or name.endswith("_id") else "string"
            item.setdefault("parameters", []).append(path_param(name, kind))


def build_document() -> dict:
    """The whole document, from the paths and schemas registered so far."""
    paths: dict[str, dict] = {}
    for path in sorted(OPENAPI_PATHS, key=openapi_path):
        item = paths.setdefault(openapi_path(path), {})
        item.update(copy.deepcopy(OPENAPI_PATHS[path]))
    for path, item in paths.items():
        _declare_path_parameters(path, item)
    tags = sorted(
        {
            tag
            for item in paths.values()
            for method in METHODS
            for tag in (item.get(method) or {}).get("tags", [])
        }
    )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Class forum API",
            "version": "1",
            "description": (
                "The class forum's JSON API. Authenticate with POST /api/v1/auth/token and send "
                "Authorization: Bearer TOKEN (or use the browser session with an X-CSRFToken "
                'header for writes). Errors are {"error": {"code", "message"}} with a 4xx '
                "status. Lists take ?page= (1-based) and ?per_page= (at most 100) and return "
                "{items, page, per_page, total, pages}."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": {"Error": copy.deepcopy(ERROR_SCHEMA), **copy.deepcopy(OPENAPI_SCHEMAS)},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": current_app.config.get("SESSION_COOKIE_NAME", "session"),
                },
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3 document describing every endpoint (no sign-in needed)."""
    return jsonify(build_document())


document(
    "/openapi.json",
    {
        "get": {
            "summary": "This OpenAPI 3 document",
            "security": [],
            "tags": ["meta"],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
)
