"""Every operation of the OpenAPI document, called with hostile values in each field
of its JSON body (wrong types, out-of-range numbers, NUL, oversized text, nested
objects) and hostile query strings, as an admin and as a trainee: always an answer
(2xx or a JSON 4xx), never a 500. Ids in the paths are real objects, so the calls
reach the services rather than stopping at a 404."""

import collections
import io
import re

HOSTILE = [None, True, -1, 0, 2**63, 1.5, "", "x" * 5000, "\x00", [], {}, ["a"], {"a": 1}, "１２", "<script>"]
HOSTILE_QUERY = {
    "q": "\x00",
    "page": "x",
    "per_page": "99999",
    "from": "2026-13-45",
    "sort": "zz",
    "after": "-1",
}


def _objects(world, make_post, client):
    """Real ids for every path parameter of the document."""
    from forum.courses.services import create_course
    from forum.materials.services import upload_material
    from forum.moderation.filters import add_watched_word
    from forum.moderation.mutes import mute_user
    from forum.moderation.queue import report_post
    from forum.rooms.services import create_room, send_message

    post = make_post(world.thread, world.trainee, "一条回复")
    room = create_room(world.teacher, world.cohort, "讨论室")
    message, _new = send_message(world.trainee, room, "大家好", "c-1")
    material, _new = upload_material(
        world.teacher, io.BytesIO("城市规划讲义".encode()), "a.txt", cohort=world.cohort
    )
    course = create_course(world.admin, "城市规划", "王老师", 2026)
    item = report_post(world.teacher, post, "离题")
    mute = mute_user(world.teacher, world.cohort, world.trainee, 10, "刷屏")
    word = add_watched_word(world.admin, "敏感词", "block")
    return {
        "board_id": world.board.id,
        "course_id": course.id,
        "item_id": item.id,
        "kind": "agree",
        "material_id": material.id,
        "message_id": message.id,
        "mute_id": mute.id,
        "post_id": post.id,
        "room_id": room.id,
        "slug": world.cohort.slug,
        "thread_id": world.thread.id,
        "username": world.trainee.username,
        "word_id": word.id,
    }


def _calls(document):
    """(method, path, body field names) for every documented operation."""
    schemas = document["components"]["schemas"]
    for path, item in sorted(document["paths"].items()):
        for method, operation in item.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            name = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            fields = list(schemas.get(name, {}).get("properties", {})) if body else None
            yield method, path, fields


def test_no_operation_answers_hostile_input_with_a_500(client, world, make_post, db):
    ids = _objects(world, make_post, client)
    document = client.get("/api/v1/openapi.json").get_json()
    seen, failures = collections.Counter(), []
    for method, path, fields in _calls(document):
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        if method == "get":
            variants = [{"query_string": HOSTILE_QUERY}]
        elif fields is None:
            variants = [{}]
        else:
            variants = [{"json": {}}, {"json": {"unknown": 1}}]
            variants += [{"json": {name: value}} for name in fields for value in HOSTILE]
        for user in (world.admin, world.trainee):
            for kwargs in variants:
                response = client.api(method, url, user=user, **kwargs)
                seen[response.status_code // 100] += 1
                if response.status_code >= 500 or (
                    response.status_code >= 400 and response.mimetype != "application/json"
                ):
                    failures.append((method, url, user.username, kwargs, response.status_code))
                db.session.rollback()
    assert not failures, failures[:20]
    # The calls got past the routing: most are refused for their content, some succeed.
    assert seen[4] > 1000 and seen[2] > 20, seen
