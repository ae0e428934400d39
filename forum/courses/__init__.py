"""The college's course catalogue: the Course model, its services and its admin pages
(under ``/admin/courses``, on the admin blueprint; the API's are in forum/api/courses.py)."""


def init_app(app) -> None:
    """Add the catalogue's pages to the admin blueprint (before admin registers it)."""
    from forum.courses import views  # noqa: F401  (views register on the admin bp; not at import, so models load alone)
