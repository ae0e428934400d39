"""Pages: a thread's discussion record, printable and as DOCX."""

from urllib.parse import quote

from flask import Response, render_template
from flask_login import current_user, login_required

from forum.permissions import get_thread_or_404
from forum.records import bp
from forum.records.docx_export import to_docx
from forum.records.services import build_record

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/threads/<int:thread_id>/record")
@login_required
def record(thread_id):
    """The thread's record as a page laid out for printing."""
    thread = get_thread_or_404(thread_id, current_user)
    return render_template("records/record.html", record=build_record(current_user, thread))


@bp.route("/threads/<int:thread_id>/record.docx")
@login_required
def record_docx(thread_id):
    """The thread's record as a Word document."""
    thread = get_thread_or_404(thread_id, current_user)
    filename = f"record-{thread.id}.docx"
    readable = quote(f"{thread.title[:60]}.docx")
    return Response(
        to_docx(build_record(current_user, thread)),
        mimetype=DOCX_TYPE,
        headers={"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{readable}"},
    )
