"""Serve the forum for tests exactly as `make run` does (gevent + gevent-websocket),
on the database and instance folder the test gives in the environment."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import socketio  # noqa: E402

instance = os.environ["FORUM_SERVE_INSTANCE"]
overrides = {
    "SQLALCHEMY_DATABASE_URI": os.environ["FORUM_SERVE_DATABASE_URL"],
    "FORUM_SOCKETIO_ASYNC_MODE": "gevent",
    "FORUM_SEARCH_INDEX_DIR": os.path.join(instance, "search-index"),
    "FORUM_MATERIALS_DIR": os.path.join(instance, "materials"),
    "INSTANCE_DIR": instance,
    "REDIS_URL": os.environ.get("FORUM_SERVE_REDIS_URL") or None,
    "FORUM_WORKER": os.environ.get("FORUM_SERVE_WORKER", "thread"),
}
app = create_app("testing", **overrides)

if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_output=False)
