"""Markdown to safe HTML: the renderer and the one allowlist.

Nothing else in the forum imports bleach. Moving to nh3 would change this file
only; ``tests/test_sanitize.py`` is the proof that the allowlist holds.
"""

import html as html_lib
import re
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel", "class"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "span": ["class"],
    "code": ["class"],
    "td": ["align"],
    "th": ["align"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Class names the renderer itself emits (mentions, code languages); nothing else.
ALLOWED_CLASS_PREFIXES = ("mention", "language-")

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .enable("table")
    .enable("strikethrough")
    .enable("linkify")
)
_md_inline_only = MarkdownIt("zero", {"linkify": True, "breaks": True}).enable(
    ["emphasis", "backticks", "strikethrough", "link", "autolink", "escape", "newline", "linkify"]
)


# @mentions: a core rule turns ``@username`` in ordinary text (not in code or links) into
# ``<a class="mention" href="...">@username</a>`` for the names a resolver knows. The
# engagement feature sets the resolver (names -> {name: href}); without one, text stays text.
MENTION_RE = re.compile(r"(?<![A-Za-z0-9._@/-])@([A-Za-z0-9][A-Za-z0-9._-]{0,62}[A-Za-z0-9])")
_mention_resolver = None


def set_mention_resolver(resolver) -> None:
    """Install the function that maps candidate usernames to their mention links."""
    global _mention_resolver
    _mention_resolver = resolver


def _mention_texts(state):
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        depth = 0
        for index, token in enumerate(block.children):
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            elif token.type == "text" and depth == 0 and "@" in token.content:
                yield block, index, token


def _mentions_rule(state) -> None:
    resolver = _mention_resolver
    found = list(_mention_texts(state)) if resolver else []
    names = {m.group(1).lower() for _b, _i, t in found for m in MENTION_RE.finditer(t.content)}
    if not names:
        return
    try:
        links = resolver(names) or {}
    except Exception:  # a renderer never fails a post over a link
        links = {}
    for block, index, token in reversed(found):
        pieces, last = [], 0
        for match in MENTION_RE.finditer(token.content):
            href = links.get(match.group(1).lower())
            if not href:
                continue
            pieces.append(_text_token(token.content[last : match.start()]))
            pieces.append(Token("link_open", "a", 1, attrs={"href": href, "class": "mention"}))
            pieces.append(_text_token(match.group(0)))
            pieces.append(Token("link_close", "a", -1))
            last = match.end()
        if pieces:
            pieces.append(_text_token(token.content[last:]))
            block.children[index : index + 1] = [p for p in pieces if p.type != "text" or p.content]


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


_md.core.ruler.push("mentions", _mentions_rule)


def _filter_attribute(tag: str, name: str, value: str) -> bool:
    allowed = ALLOWED_ATTRIBUTES.get(tag, [])
    if name not in allowed:
        return False
    if name == "class":
        return all(part.startswith(ALLOWED_CLASS_PREFIXES) for part in value.split())
    if tag == "img" and name == "src":
        return _is_local_url(value)
    return True


def _is_local_url(url: str) -> bool:
    """Images only from this server: a path, never a scheme or another host."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and url.strip().startswith("/")


class _LinkRelFilter(Filter):
    """Every surviving link gets rel="nofollow noopener", whatever the source said."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                token["data"][(None, "rel")] = "nofollow noopener"
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_filter_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRelFilter],
)


def clean_html(html: str) -> str:
    """Run untrusted HTML through the allowlist; every link gets rel=nofollow noopener."""
    return _cleaner.clean(html)


def render_markdown(source: str) -> str:
    """A post's Markdown as sanitized HTML (raw HTML in the source is shown as text)."""
    return clean_html(_md.render(source or ""))


def render_inline(source: str) -> str:
    """Markdown-lite for chat messages: emphasis, code, links, line breaks."""
    return clean_html(_md_inline_only.render(source or ""))


def plain_text(html: str) -> str:
    """Text of sanitized HTML, for snippets, notifications and word counts."""
    return html_lib.unescape(bleach.clean(html or "", tags=set(), strip=True))


def safe(html: str) -> Markup:
    """Mark HTML that this module produced as safe for templates (``*_html`` only)."""
    return Markup(html)


__all__ = ["clean_html", "escape", "plain_text", "render_inline", "render_markdown", "safe"]
