"""A small server-rendered SVG bar chart of a cohort's activity per day (no script).

Activity is what the participation report counts: visible posts (opening posts and
replies, by anyone in the cohort) and live-room messages, per day in the forum's
time zone.
"""

from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select

from forum.cohorts.models import Board
from forum.extensions import db
from forum.reports import services
from forum.rooms.models import Room, RoomMessage
from forum.threads.models import Post, Thread

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 160, 32, 20, 10


def daily_activity(report) -> list[tuple]:
    """``[(day, posts, room_messages), ...]`` for every day of the report's range."""
    low, high = services.utc_bounds(report.start, report.end)
    zone, utc = services._zone(), ZoneInfo("UTC")

    def local_day(moment):
        return moment.replace(tzinfo=utc).astimezone(zone).date()

    posts = Counter(
        local_day(created)
        for (created,) in db.session.execute(
            select(Post.created_at)
            .join(Thread, Thread.id == Post.thread_id)
            .join(Board, Board.id == Thread.board_id)
            .where(*services._visible_posts(report.cohort.id), Post.created_at >= low, Post.created_at < high)
        )
    )
    conditions = [
        Room.cohort_id == report.cohort.id,
        RoomMessage.created_at >= low,
        RoomMessage.created_at < high,
    ]
    if hasattr(RoomMessage, "deleted_at"):
        conditions.append(RoomMessage.deleted_at.is_(None))
    messages = Counter(
        local_day(created)
        for (created,) in db.session.execute(
            select(RoomMessage.created_at).join(Room, Room.id == RoomMessage.room_id).where(*conditions)
        )
    )
    days = (report.end - report.start).days + 1
    return [
        (day, posts.get(day, 0), messages.get(day, 0))
        for day in (report.start + timedelta(days=n) for n in range(days))
    ]


def activity_svg(report) -> Markup:
    """The chart as inline SVG: one stacked bar per day (posts, room messages), with a
    title per bar for the exact figures and a text summary for screen readers."""
    data = daily_activity(report)
    peak = max((p + m for _day, p, m in data), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(data), 1)
    bar = max(step * 0.8, 0.5)
    total_posts = sum(p for _d, p, _m in data)
    total_messages = sum(m for _d, _p, m in data)
    label = _(
        "Activity per day from %(start)s to %(end)s: %(posts)d posts, %(messages)d room messages.",
        start=report.start.isoformat(),
        end=report.end.isoformat(),
        posts=total_posts,
        messages=total_messages,
    )
    parts = [
        f'<svg class="activity-chart" id="activity-chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 4}" y2="{TOP + plot_h}" stroke="#888" stroke-width="1"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" font-size="10" text-anchor="end" fill="#555">{peak}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" font-size="10" text-anchor="end" fill="#555">0</text>',
    ]
    for index, (day, posts, messages) in enumerate(data):
        x = LEFT + index * step + (step - bar) / 2
        post_h = plot_h * posts / peak
        message_h = plot_h * messages / peak
        tip = escape(
            _(
                "%(day)s: %(posts)d posts, %(messages)d room messages",
                day=day.isoformat(),
                posts=posts,
                messages=messages,
            )
        )
        parts.append(
            f'<g class="day" data-day="{day.isoformat()}" data-posts="{posts}" data-messages="{messages}">'
            f"<title>{tip}</title>"
        )
        if posts:
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - post_h:.1f}" width="{bar:.1f}" '
                f'height="{post_h:.1f}" fill="#2f6fb0"/>'
            )
        if messages:
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - post_h - message_h:.1f}" width="{bar:.1f}" '
                f'height="{message_h:.1f}" fill="#e0892b"/>'
            )
        parts.append("</g>")
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 4}" font-size="10" fill="#555">{report.start.isoformat()}</text>'
    )
    parts.append(
        f'<text x="{WIDTH - 4}" y="{HEIGHT - 4}" font-size="10" text-anchor="end" fill="#555">'
        f"{report.end.isoformat()}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
