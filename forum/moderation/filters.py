"""Watched words: a site-wide list that holds, blocks or rewrites what people write.

Each entry is a plain word (matched case-insensitively; a word made of Latin letters or
digits only matches as a whole word, so "ass" does not catch "class", while Chinese
words match anywhere) or a regular expression, and an action:

- ``block``: the text is refused with a clear error naming the word;
- ``replace``: the word is replaced by the entry's replacement (default "***");
- ``hold``: the text is stored but hidden from everyone but its author and the
  cohort's moderators until one of them approves it in the review queue.

Posting services call :func:`screen` (mute check + watched words for several fields);
other features (live rooms) call :func:`check_text` on one text and decide what a
"held" result means for them (see ``hold_content``).
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from forum import validation
from forum.audit import record
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation.models import WATCH_ACTIONS, ReviewItem, WatchedWord
from forum.moderation.mutes import refuse_if_muted
from forum.permissions import can_manage_watched_words, can_moderate_cohort
from forum.utils import utcnow

DEFAULT_REPLACEMENT = "***"
_LATIN_EDGE = re.compile(r"[A-Za-z0-9_]")


@dataclass
class FilterResult:
    """The outcome of checking one text: the (possibly rewritten) text, whether it must
    be held for review, and which watched words matched (for the queue's reason)."""

    text: str
    held: bool = False
    matches: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return ", ".join(dict.fromkeys(self.matches))[:400]


def compile_word(word: str, is_regex: bool) -> re.Pattern:
    """The pattern an entry matches with (case-insensitive)."""
    if is_regex:
        return re.compile(word, re.IGNORECASE)
    pattern = re.escape(word)
    if _LATIN_EDGE.match(word[0]):
        pattern = r"(?<![A-Za-z0-9_])" + pattern
    if _LATIN_EDGE.match(word[-1]):
        pattern = pattern + r"(?![A-Za-z0-9_])"
    return re.compile(pattern, re.IGNORECASE)


def _rules() -> list[tuple[WatchedWord, re.Pattern]]:
    rules = []
    for entry in db.session.execute(select(WatchedWord).order_by(WatchedWord.id)).scalars():
        try:
            rules.append((entry, compile_word(entry.word, entry.is_regex)))
        except re.error:  # saved entries are validated; an old bad one must not break posting
            continue
    return rules


def check_text(text: str, *, field_name: str = "body", rules=None) -> FilterResult:
    """Apply the watched words to one text: raise ServiceError("blocked") for a blocked
    word, return the text with replacements made and ``held`` set for a held word."""
    if not text:
        return FilterResult(text or "")
    rules = _rules() if rules is None else rules
    for entry, pattern in rules:
        if entry.action == "block" and pattern.search(text):
            raise ServiceError(
                "blocked",
                _(
                    "Your text contains “%(word)s”, which is not allowed here. Please rephrase it.",
                    word=pattern.search(text).group(0),
                ),
                400,
                field_name,
            )
    result = FilterResult(text)
    for entry, pattern in rules:
        if entry.action == "replace" and pattern.search(result.text):
            result.matches.append(entry.word)
            replacement = entry.replacement or DEFAULT_REPLACEMENT
            result.text = pattern.sub(lambda _m, r=replacement: r, result.text)
    for entry, pattern in rules:
        if entry.action == "hold" and pattern.search(result.text):
            result.held = True
            result.matches.append(entry.word)
    return result


@dataclass
class Screened:
    """Several fields checked together (a thread's title and body)."""

    values: dict
    held: bool
    reason: str

    def __getitem__(self, name):
        return self.values[name]


def screen(author, cohort, **fields) -> Screened:
    """Apply the watched words to each field ``author`` writes in ``cohort``.
    Moderators' text is never held (they would review it themselves)."""
    rules = _rules()
    values, held, matches = {}, False, []
    for name, value in fields.items():
        result = check_text(value, field_name=name, rules=rules)
        values[name] = result.text
        held = held or result.held
        matches.extend(result.matches if result.held else [])
    if held and can_moderate_cohort(author, cohort):
        held = False
    return Screened(values, held, ", ".join(dict.fromkeys(matches))[:400])


def hold_content(author, cohort_id: int, target, reason: str, *, post=None) -> ReviewItem:
    """Put content in the cohort's review queue as held (caller commits).

    Posts are handled by :func:`hold_post`; another feature holding its own content
    (e.g. a room message) calls this and listens for ``signals.held_content_reviewed``.
    """
    db.session.flush()
    item = ReviewItem(
        kind="held",
        cohort_id=cohort_id,
        target_type=type(target).__name__.lower(),
        target_id=target.id,
        post_id=post.id if post is not None else None,
        user_id=getattr(author, "id", None),
        reason=_("Watched words: %(words)s", words=reason)[:500],
        created_at=utcnow(),
    )
    db.session.add(item)
    record(
        None,
        f"hold_{item.target_type}",
        target,
        cohort_id=cohort_id,
        reason=item.reason,
        after={"held": True},
    )
    return item


def hold_post(author, post, thread, reason: str) -> ReviewItem:
    """Hide a new or edited post until a moderator approves it; an opening post holds
    its whole thread (caller commits)."""
    post.hidden = True
    post.held = True
    post.hidden_reason = ""
    if post.number == 1:
        thread.hidden = True
        thread.held = True
    db.session.flush()
    existing = db.session.execute(
        select(ReviewItem).where(
            ReviewItem.post_id == post.id, ReviewItem.kind == "held", ReviewItem.status == "open"
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    return hold_content(author, thread.board.cohort_id, post, reason, post=post)


# --- the list itself (admins) ------------------------------------------------------------


def _entry_fields(word, is_regex, action, replacement):
    word = validation.text(word, "word", max_length=200)
    is_regex = validation.boolean(is_regex, "is_regex")
    action = validation.choice(action, "action", WATCH_ACTIONS)
    replacement = validation.text(replacement or "", "replacement", max_length=200, min_length=0)
    if is_regex:
        try:
            compiled = re.compile(word, re.IGNORECASE)
        except re.error as error:
            raise ServiceError(
                "invalid",
                _("The pattern is not a valid regular expression: %(e)s", e=str(error)),
                400,
                "word",
            ) from None
        if compiled.search(""):
            raise ServiceError("invalid", _("The pattern must not match empty text."), 400, "word")
    if action != "replace":
        replacement = ""
    return word, is_regex, action, replacement


def list_watched_words():
    return select(WatchedWord).order_by(WatchedWord.word, WatchedWord.id)


def add_watched_word(actor, word, action, replacement="", is_regex=False) -> WatchedWord:
    """Add an entry to the site's watched words (admins)."""
    if not can_manage_watched_words(actor):
        raise Forbidden()
    word, is_regex, action, replacement = _entry_fields(word, is_regex, action, replacement)
    exists = db.session.execute(
        select(WatchedWord.id).where(WatchedWord.word == word, WatchedWord.is_regex == is_regex)
    ).first()
    if exists:
        raise ServiceError("exists", _("“%(word)s” is already on the list.", word=word), 409, "word")
    entry = WatchedWord(
        word=word, is_regex=is_regex, action=action, replacement=replacement, created_by_id=actor.id
    )
    db.session.add(entry)
    db.session.flush()
    record(
        actor,
        "add_watched_word",
        entry,
        after={"word": word, "is_regex": is_regex, "action": action, "replacement": replacement},
    )
    db.session.flush()
    return entry


def update_watched_word(actor, entry, **changes) -> WatchedWord:
    """Change an entry's word, action or replacement (admins)."""
    if not can_manage_watched_words(actor):
        raise Forbidden()
    before = {
        "word": entry.word,
        "is_regex": entry.is_regex,
        "action": entry.action,
        "replacement": entry.replacement,
    }
    merged = {**before, **{k: v for k, v in changes.items() if v is not None}}
    word, is_regex, action, replacement = _entry_fields(
        merged["word"], merged["is_regex"], merged["action"], merged["replacement"]
    )
    entry.word, entry.is_regex, entry.action, entry.replacement = word, is_regex, action, replacement
    after = {"word": word, "is_regex": is_regex, "action": action, "replacement": replacement}
    if after != before:
        record(actor, "update_watched_word", entry, before=before, after=after)
    db.session.flush()
    return entry


def delete_watched_word(actor, entry) -> None:
    """Remove an entry (admins); the audit row keeps what it was."""
    if not can_manage_watched_words(actor):
        raise Forbidden()
    record(
        actor,
        "delete_watched_word",
        entry,
        before={
            "word": entry.word,
            "is_regex": entry.is_regex,
            "action": entry.action,
            "replacement": entry.replacement,
        },
    )
    db.session.delete(entry)
    db.session.flush()


__all__ = ["FilterResult", "check_text", "hold_content", "hold_post", "refuse_if_muted", "screen"]
