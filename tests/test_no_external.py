"""Nothing outside the server: as each role, crawl every page reachable from home and
check every link, form, script, style and image on it; every /static file exists."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

HOST = "localhost"
MAX_PAGES = 120
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "srcset", "content")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");]+)""", re.I)


class References(HTMLParser):
    """Every URL an HTML page refers to, and which of them are pages to follow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []  # (tag, attribute, value)
        self.follow = []
        self.inline_styles = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_style = tag == "style"
        for name in URL_ATTRIBUTES:
            value = attrs.get(name)
            if value is None:
                continue
            if name == "content" and not (tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh"):
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    self.refs.append((tag, name, candidate.strip().split(" ")[0]))
                continue
            self.refs.append((tag, name, value))
        if tag == "a" and attrs.get("href"):
            self.follow.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.follow.append(attrs["action"])

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_styles.append(data)


def is_local(url: str) -> bool:
    """A path on this server (relative, absolute path, or this very host)."""
    url = url.strip()
    if url.startswith("//"):
        return False
    parts = urlsplit(url)
    if parts.scheme in ("", "http", "https") and parts.netloc in ("", HOST):
        return True
    return False


def crawl(client, start="/"):
    """Breadth-first over the server's pages; returns problems and the static files seen."""
    problems, statics = [], set()
    seen, queue = set(), deque([start])
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(f"http://{HOST}{url}", response.headers["Location"])
            if not is_local(target):
                problems.append(f"{url} redirects outside: {target}")
            else:
                queue.append(_path(target))
            continue
        if "text/html" not in response.content_type:
            continue
        pages += 1
        if "default-src 'self'" not in response.headers.get("Content-Security-Policy", ""):
            problems.append(f"{url}: no Content-Security-Policy default-src 'self'")
        parser = References()
        parser.feed(response.get_data(as_text=True))
        for style in parser.inline_styles:
            problems.append(f"{url}: inline <style> {style[:60]!r}")
        for tag, name, value in parser.refs:
            absolute = urljoin(f"http://{HOST}{url}", value)
            if value.strip().startswith(("#", "mailto:")) and tag == "a":
                continue
            if not is_local(value):
                problems.append(f"{url}: <{tag} {name}={value!r}> points outside the server")
                continue
            path = _path(absolute)
            if path.startswith("/static/"):
                statics.add(path.split("?")[0])
        for link in parser.follow:
            absolute = urljoin(f"http://{HOST}{url}", link)
            if is_local(absolute) and not link.startswith("#"):
                path = _path(absolute)
                if not path.startswith(("/static/", "/api/")) and path not in seen:
                    queue.append(path)
    return problems, statics, pages


def _path(url: str) -> str:
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_static(client, statics) -> list[str]:
    """Each referenced static file answers 200; stylesheets load nothing from elsewhere."""
    problems = []
    pending = deque(sorted(statics))
    checked = set()
    while pending:
        path = pending.popleft()
        if path in checked:
            continue
        checked.add(path)
        response = client.get(path)
        if response.status_code != 200:
            problems.append(f"{path}: {response.status_code}")
            continue
        if path.endswith(".css"):
            css = response.get_data(as_text=True)
            for ref in CSS_URL.findall(css) + CSS_IMPORT.findall(css):
                if ref.startswith("data:"):
                    continue
                if not is_local(ref):
                    problems.append(f"{path}: loads {ref!r} from outside")
                else:
                    pending.append(_path(urljoin(f"http://{HOST}{path}", ref)).split("?")[0])
        response.close()
    return problems


@pytest.fixture
def rich_world(world, make_post, make_thread):
    """The world, with a reply, a question thread and a second page of posts to reach."""
    make_post(world.thread, world.teacher, "**回复** with `code`")
    make_thread(world.board, world.teacher, "答疑：城市体检", "问题？", kind="question")
    return world


@pytest.mark.parametrize("role", ["anonymous", "trainee", "teacher", "admin", "outsider"])
def test_every_page_stays_on_the_server(app, client, rich_world, role):
    if role != "anonymous":
        assert client.login(getattr(rich_world, role)).status_code == 302
    problems, statics, pages = crawl(client)
    assert pages >= (1 if role == "anonymous" else 3), f"only {pages} page(s) reached"
    problems += check_static(client, statics)
    assert statics, "no stylesheet or script from /static"
    assert not problems, "\n".join(problems)


def test_the_crawler_catches_outside_references():
    parser = References()
    parser.feed(
        '<a href="https://cdn.example/x">x</a><script src="//cdn.example/x.js"></script>'
        '<link rel=stylesheet href="/static/css/forum.css"><img src="http://localhost/static/a.png">'
        '<form action="https://evil.example/"></form>'
    )
    outside = [value for _tag, _name, value in parser.refs if not is_local(value)]
    assert outside == ["https://cdn.example/x", "//cdn.example/x.js", "https://evil.example/"]
