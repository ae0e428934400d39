"""The OpenAPI document: public, OpenAPI 3 in shape, and complete (every route under
/api/v1 with each of its methods, request bodies, responses and error responses)."""

import re

import pytest

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def registered_operations(app):
    """``{(openapi_path, method)}`` for every route the app serves under /api/v1."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def documented_operations(document):
    return {
        (path, method) for path, item in document["paths"].items() for method in item if method in METHODS
    }


def test_document_is_openapi_3(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    assert isinstance(document["paths"], dict) and document["paths"]
    components = document["components"]
    assert components["schemas"]["Error"]["properties"]["error"]["required"] == ["code", "message"]
    assert components["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert {"bearer": []} in document["security"]


def test_every_api_route_is_documented(app, document):
    registered = registered_operations(app)
    documented = documented_operations(document)
    assert registered - documented == set(), "routes missing from the OpenAPI document"
    assert documented - registered == set(), "documented operations that do not exist"


def test_core_endpoints_are_all_there(document):
    expected = {
        ("/api/v1/auth/token", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/cohorts", "get"),
        ("/api/v1/cohorts", "post"),
        ("/api/v1/cohorts/{slug}", "get"),
        ("/api/v1/cohorts/{slug}/members", "get"),
        ("/api/v1/cohorts/{slug}/members/{username}", "put"),
        ("/api/v1/cohorts/{slug}/members/{username}", "delete"),
        ("/api/v1/cohorts/{slug}/boards", "get"),
        ("/api/v1/cohorts/{slug}/boards", "post"),
        ("/api/v1/boards/{board_id}", "get"),
        ("/api/v1/boards/{board_id}", "patch"),
        ("/api/v1/boards/{board_id}/threads", "get"),
        ("/api/v1/boards/{board_id}/threads", "post"),
        ("/api/v1/threads/{thread_id}", "get"),
        ("/api/v1/threads/{thread_id}", "patch"),
        ("/api/v1/threads/{thread_id}/posts", "get"),
        ("/api/v1/threads/{thread_id}/posts", "post"),
        ("/api/v1/posts/{post_id}", "get"),
        ("/api/v1/posts/{post_id}", "patch"),
        ("/api/v1/posts/{post_id}", "delete"),
        ("/api/v1/openapi.json", "get"),
    }
    assert expected <= documented_operations(document)


def resolve(document, ref):
    assert ref.startswith("#/components/schemas/"), ref
    name = ref.rsplit("/", 1)[1]
    assert name in document["components"]["schemas"], f"dangling $ref {ref}"
    return document["components"]["schemas"][name]


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_every_reference_resolves(document):
    for ref in set(refs(document)):
        resolve(document, ref)


def test_every_operation_describes_its_responses(document):
    for path, item in document["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), where
            assert any(s.startswith("4") for s in statuses) or path.endswith("openapi.json"), where
            for status, response in operation["responses"].items():
                assert response.get("description"), where
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, where
            if operation.get("security") != []:
                assert "401" in statuses, where
            if method in {"post", "put", "patch"} and "requestBody" in operation:
                assert {"400", "415"} <= statuses, where
            params = declared | {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert params == set(re.findall(r"{([^}]+)}", path)), where


def test_core_writes_have_bodies(document):
    for path, method, schema_name in [
        ("/api/v1/auth/token", "post", "TokenRequest"),
        ("/api/v1/cohorts", "post", "CohortCreate"),
        ("/api/v1/cohorts/{slug}/members/{username}", "put", "MembershipPut"),
        ("/api/v1/cohorts/{slug}/boards", "post", "BoardCreate"),
        ("/api/v1/boards/{board_id}", "patch", "BoardUpdate"),
        ("/api/v1/boards/{board_id}/threads", "post", "ThreadCreate"),
        ("/api/v1/threads/{thread_id}", "patch", "ThreadUpdate"),
        ("/api/v1/threads/{thread_id}/posts", "post", "PostCreate"),
        ("/api/v1/posts/{post_id}", "patch", "PostUpdate"),
    ]:
        body = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{schema_name}"}
        assert resolve(document, body["$ref"])["additionalProperties"] is False


def test_token_endpoint_documents_401_and_429(document):
    operation = document["paths"]["/api/v1/auth/token"]["post"]
    assert operation["security"] == []
    assert {"200", "400", "401", "429"} <= set(operation["responses"])


def test_lists_document_pagination(document):
    operation = document["paths"]["/api/v1/boards/{board_id}/threads"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"page", "per_page"}
    page = resolve(document, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])
    assert set(page["properties"]) == {"items", "page", "per_page", "total", "pages"}


def test_documented_fields_match_what_is_sent(client, world, document):
    """The schema of a post names every field a real post carries."""
    data = client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).get_json()
    thread_schema = resolve(document, "#/components/schemas/Thread")
    assert set(data) - {"opening_post", "can_edit"} <= set(thread_schema["properties"])
    post_schema = resolve(document, "#/components/schemas/Post")
    assert set(data["opening_post"]) - set(post_schema["properties"]) <= {"role", "marks", "staff_note"}


def test_document_is_public_even_with_a_session(client, world):
    assert client.get("/api/v1/openapi.json").status_code == 200
