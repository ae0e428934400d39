"""The site logo: an admin uploads a PNG, JPEG or WebP image (judged by its content, at most
1 MB) on the settings page; it is kept under the instance folder, served by the app at an
address that changes with the image, shown in every page's header, and can be removed.
Each change writes a ``site_settings`` audit row."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import AuditEntry

ROOT = Path(__file__).resolve().parent.parent
LOGO_URL = re.compile(r'<img src="(/admin/logo/logo-[0-9a-f]{16}\.(?:png|jpg|webp))" alt="" height="28"')


def png(colour: bytes = b"\x00\x80\xff") -> bytes:
    """A valid 1×1 PNG of the given RGB colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + colour)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def upload(client, data: bytes, filename: str = "logo.png"):
    return client.form(
        "/admin/settings/logo",
        {"logo": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def header_logo(client) -> str | None:
    """The logo address in the page header of the sign-in page (seen signed out)."""
    html = client.get("/login").get_data(as_text=True)
    found = LOGO_URL.search(html.split("</header>")[0])
    return found.group(1) if found else None


def audit_rows() -> list:
    return (
        db.session.execute(
            select(AuditEntry).where(AuditEntry.action == "site_settings").order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )


@pytest.mark.parametrize(
    ("data", "extension", "mimetype"),
    [(png(), "png", "image/png"), (JPEG, "jpg", "image/jpeg"), (WEBP, "webp", "image/webp")],
    ids=["png", "jpeg", "webp"],
)
def test_upload_serve_and_show_in_the_header(world, login, client, app, data, extension, mimetype):
    """The image is stored under the instance folder, served with a long cache, and shown."""
    admin = login(world.admin)
    assert header_logo(client) is None
    # The file name is not trusted: a PNG called .gif is still a PNG, and the reverse.
    response = upload(admin, data, "whatever.gif")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/settings")
    url = header_logo(client)
    assert url is not None and url.endswith(f".{extension}")
    stored = Path(app.config["INSTANCE_DIR"]) / "site" / url.rsplit("/", 1)[1]
    assert stored.read_bytes() == data
    assert not (ROOT / "static" / stored.name).exists()

    served = client.get(url)  # signed out: the header shows it on the sign-in page
    assert served.status_code == 200
    assert served.mimetype == mimetype and served.data == data
    assert (
        "immutable" in served.headers["Cache-Control"]
        and "max-age=31536000" in served.headers["Cache-Control"]
    )
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    # Every page's header shows it beside the site name, the settings page previews it.
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert f'src="{url}"' in page and 'data-logo="current"' in page


def test_replace_changes_the_address_and_remove_restores_the_default(world, login, client, app):
    """A new image gets a new address (the old one is gone); removing it brings back the
    default mark; each change is in the audit log with before and after."""
    admin = login(world.admin)
    assert upload(admin, png(b"\xff\x00\x00")).status_code == 302
    first = header_logo(client)
    assert upload(admin, png(b"\x00\xff\x00")).status_code == 302
    second = header_logo(client)
    assert second != first
    assert client.get(first).status_code == 404
    folder = Path(app.config["INSTANCE_DIR"]) / "site"
    assert sorted(p.name for p in folder.iterdir()) == [second.rsplit("/", 1)[1]]

    # The same image again changes nothing and records nothing.
    assert upload(admin, png(b"\x00\xff\x00")).status_code == 302
    assert header_logo(client) == second

    response = admin.form("/admin/settings/logo/remove")
    assert response.status_code == 302
    assert header_logo(client) is None
    assert 'src="/static/favicon.svg"' in client.get("/login").get_data(as_text=True)
    assert client.get(second).status_code == 404
    assert list(folder.iterdir()) == []
    assert 'data-logo="none"' in admin.get("/admin/settings").get_data(as_text=True)

    rows = audit_rows()
    names = [first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]]
    assert [(row.before, row.after) for row in rows] == [
        ({"logo": None}, {"logo": names[0]}),
        ({"logo": names[0]}, {"logo": names[1]}),
        ({"logo": names[1]}, {"logo": None}),
    ]
    assert all(row.actor_id == world.admin.id for row in rows)

    # Removing when there is none: a clear message, nothing recorded.
    again = admin.form("/admin/settings/logo/remove", follow_redirects=True)
    assert again.status_code == 200 and "没有可移除的标志" in again.get_data(as_text=True)
    assert len(audit_rows()) == 3


@pytest.mark.parametrize(
    ("data", "filename", "status", "message"),
    [
        (SVG, "logo.svg", 415, "标志必须是 PNG、JPEG 或 WebP 图片。"),
        (GIF, "logo.gif", 415, "标志必须是 PNG、JPEG 或 WebP 图片。"),
        (b"just some text", "logo.png", 415, "标志必须是 PNG、JPEG 或 WebP 图片。"),
        (png() + b"\x00" * (1024 * 1024), "big.png", 413, "标志文件太大（最多 1 MB）。"),
        (b"", "empty.png", 400, "请选择一个图片文件。"),
    ],
    ids=["svg", "gif", "text-named-png", "over-1-mb", "empty"],
)
def test_refused_uploads(world, login, client, data, filename, status, message):
    """Not a PNG/JPEG/WebP by content, too large or empty: the page says why; nothing changes."""
    admin = login(world.admin)
    response = upload(admin, data, filename)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="logo-error"' in html
    assert header_logo(client) is None
    assert audit_rows() == []


def test_no_file_chosen(world, login):
    response = login(world.admin).form("/admin/settings/logo", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "请选择一个图片文件。" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["teacher", "trainee", "other_teacher"])
def test_only_admins_change_the_logo(world, login, client, who):
    """Others get 403 for upload and removal; signed out goes to the sign-in page."""
    other = login(getattr(world, who))
    assert upload(other, png()).status_code == 403
    assert other.form("/admin/settings/logo/remove").status_code == 403
    signed_out = upload(client, png())
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert header_logo(client) is None


def test_only_the_current_logo_is_served(world, login, client, app):
    """Nothing else in the folder, and no other path, is reachable through the logo address."""
    assert client.get("/admin/logo/logo-0123456789abcdef.png").status_code == 404
    admin = login(world.admin)
    assert upload(admin, png()).status_code == 302
    (Path(app.config["INSTANCE_DIR"]) / "site" / "logo-0123456789abcdef.png").write_bytes(png())
    assert client.get("/admin/logo/logo-0123456789abcdef.png").status_code == 404
    assert client.get("/admin/logo/..%2Fsecret_key").status_code == 404
    # The rest of the administration stays closed to visitors.
    assert client.get("/admin/settings").status_code == 302
