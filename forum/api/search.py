"""Search in the JSON API: ``GET /api/v1/search`` (CONTRACT.md)."""

from flask import jsonify, request

from forum.api import bp
from forum.api.common import api_user, document, error_responses, int_arg, schema
from forum.search import services
from forum.search.schema import TYPES


@bp.get("/search")
def search():
    """Search what the caller may see: ``{total, results: [{type, id, title, url, snippet_html, score, page?}]}``."""
    user = api_user()
    page = int_arg("page", 1, minimum=1, maximum=services.MAX_PAGE)
    per_page = int_arg("per_page", 10, minimum=1, maximum=services.MAX_PER_PAGE)
    filters = {
        name: request.args.get(name, "") for name in ("type", "cohort", "course", "year", "author", "sort")
    }
    results = services.search(user, request.args.get("q", ""), page=page, per_page=per_page, **filters)
    body = {
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "pages": results.pages,
        "results": [hit.as_json() for hit in results.hits],
    }
    if results.suggestion:
        body["suggestion"] = results.suggestion
    return jsonify(body)


schema(
    "SearchResult",
    {
        "type": "object",
        "required": ["type", "id", "title", "url", "snippet_html", "score"],
        "properties": {
            "type": {"type": "string", "enum": list(TYPES)},
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "snippet_html": {
                "type": "string",
                "description": "Escaped text with <mark> around matched words.",
            },
            "score": {"type": "number"},
            "page": {"type": "integer", "description": "Materials: the page or slide of the best hit."},
        },
    },
)
schema(
    "SearchResults",
    {
        "type": "object",
        "required": ["total", "results"],
        "properties": {
            "total": {"type": "integer", "description": "Matches the caller may see."},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
            "suggestion": {"type": "string", "description": 'A corrected query ("did you mean").'},
        },
    },
)
document(
    "/search",
    {
        "get": {
            "summary": "Search materials, threads, posts and room messages",
            "description": 'Query language: words (all must match), "a phrase", -excluded, this OR that, and '
            "filters type: cohort: course: year: author: in the text or as parameters.",
            "tags": ["search"],
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500}},
                {"name": "type", "in": "query", "schema": {"type": "string", "enum": list(TYPES)}},
                {"name": "cohort", "in": "query", "schema": {"type": "string"}},
                {"name": "course", "in": "query", "schema": {"type": "string"}},
                {"name": "year", "in": "query", "schema": {"type": "integer"}},
                {"name": "author", "in": "query", "schema": {"type": "string"}},
                {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(services.SORTS)}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {
                    "name": "per_page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": services.MAX_PER_PAGE},
                },
            ],
            "responses": {
                "200": {
                    "description": "Results",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}
                    },
                },
                **error_responses(400, 401),
            },
        },
    },
)
