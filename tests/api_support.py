"""Steps many API tests take: start a thread, reply, read a thread's posts (each checks
the status, so a failing step names itself)."""


def start_thread(client, user, board, title=None, body="Opening.", kind="case", **extra):
    """A new thread of ``kind`` (a case unless told), titled after its kind unless given."""
    response = client.api(
        "post",
        f"/api/v1/boards/{board.id}/threads",
        user=user,
        json={"title": title or f"A {kind} thread", "body": body, "kind": kind, **extra},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reply(client, user, thread_id, body="My answer.", **extra):
    response = client.api(
        "post", f"/api/v1/threads/{thread_id}/posts", user=user, json={"body": body, **extra}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def list_posts(client, user, thread_id):
    response = client.api("get", f"/api/v1/threads/{thread_id}/posts?per_page=100", user=user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]
