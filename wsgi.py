"""The entry point: `make run`, gunicorn and `flask --app wsgi ...`.

gevent must patch the standard library before anything else is imported, so that
Socket.IO runs on gevent-websocket (see README: threading mode cost 5-9x the CPU).
The patch is skipped for the `flask` command line, which needs no event loop.
"""

import os
import sys

_serving = os.environ.get("FORUM_SOCKETIO_ASYNC_MODE", "gevent") == "gevent" and not (
    os.path.basename(sys.argv[0]) in {"flask", "pytest"} or "pytest" in sys.modules
)
if _serving:
    from gevent import monkey

    monkey.patch_all()
    os.environ.setdefault("FORUM_SOCKETIO_ASYNC_MODE", "gevent")

from forum import create_app  # noqa: E402
from forum.extensions import socketio  # noqa: E402

app = create_app()


def main() -> None:
    """Serve with Socket.IO on gevent (HOST and PORT override the address)."""
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    app.logger.info("serving on http://%s:%s", host, port)
    try:
        socketio.run(app, host=host, port=port, log_output=False)
    except KeyboardInterrupt:  # Ctrl-C in `make run`: stop quietly, data stays in instance/
        app.logger.info("stopped")


if __name__ == "__main__":
    main()
