"""XSS vectors posted as Markdown through the reply form (and the API) render inert:
in the stored body_html and on the thread page. Plus what must keep working."""

from html.parser import HTMLParser

from sqlalchemy import select

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "srcset",
}
BANNED_TAGS = {
    "script",
    "iframe",
    "frame",
    "form",
    "style",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "meta",
    "link",
    "input",
    "button",
    "textarea",
    "select",
    "video",
    "audio",
    "source",
    "details",
    "marquee",
    "isindex",
    "body",
    "html",
}

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<button formaction=javascript:alert(1)>x</button>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="https://ok.example/" onclick="alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](  javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VbScRiPt:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[ref]: javascript:alert(1)\n\nSee [the reference][ref].",
    '[x](https://ok.example/ "t\\" onmouseover=\\"alert(1)")',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "![x](//evil.example/track.png)",
    '![x" onerror="alert(1)](/static/favicon.svg)',
    "<javascript:alert(1)>",
    "<https://ok.example/?q=<script>alert(1)</script>>",
    "www.ok.example/<script>alert(1)</script>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0">overlay</p>',
    "<style>body{display:none}</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<textarea><script>alert(1)</script></textarea>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<img """><script>alert(1)</script>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<div>\n<script>alert(1)</script>\n</div>\n\nA raw HTML block.",
    "> <script>alert(1)</script>\n> [quote](javascript:alert(1))",
    "- <img src=x onerror=alert(1)>\n- [item](javascript:alert(1))",
    "| a | b |\n| - | - |\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "```html\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
]


class Inspector(HTMLParser):
    """Collects what the browser would treat as markup: tags and attribute values (decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, {attribute: value})
        self.script_text = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)


def inspect_html(html: str) -> Inspector:
    parser = Inspector()
    parser.feed(html)
    parser.close()
    return parser


def scheme_of(url: str) -> str:
    # Browsers ignore whitespace and control characters inside a scheme.
    return "".join(ch for ch in url if ch > " ").lower()


def dangerous_attributes(tags) -> list[str]:
    found = []
    for tag, attrs in tags:
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and scheme_of(value).startswith(DANGEROUS_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def assert_inert_body(html: str):
    """The stored body_html: only allowed markup, every link nofollow, images local."""
    # Raw HTML typed in a post is shown as text (&lt;script&gt;): no tag may survive, and
    # attributes (on*, style) are checked on parsed markup, where a browser would see them.
    lowered = html.lower()
    for needle in ("<script", "<iframe", "<form", "<style", "<svg", "<math", "<object", "<embed"):
        assert needle not in lowered, (needle, html)
    parsed = inspect_html(html)
    assert not [tag for tag, _ in parsed.tags if tag in BANNED_TAGS], html
    assert not dangerous_attributes(parsed.tags), html
    for tag, attrs in parsed.tags:
        if tag == "a":
            assert attrs.get("rel") == "nofollow noopener", html
        if tag == "img" and "src" in attrs:  # an image without src loads nothing
            assert attrs["src"].startswith("/") and not attrs["src"].startswith("//"), html


def assert_inert_page(html: str):
    """The whole page: the app's own scripts only, no handler, style or dangerous URL."""
    parsed = inspect_html(html)
    assert not parsed.script_text, parsed.script_text
    for tag, attrs in parsed.tags:
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        assert tag not in {"iframe", "frame", "object", "embed", "style", "svg", "math", "base", "meta"} or (
            tag == "meta" and "http-equiv" not in attrs
        ), (tag, attrs)
        if tag == "img" and "src" in attrs:
            assert attrs["src"].startswith("/") and not attrs["src"].startswith("//"), attrs
        if tag == "form":
            assert attrs.get("action", "").startswith("/"), attrs
    assert not dangerous_attributes(parsed.tags)
    # Links may point anywhere (nofollow); nothing is loaded from another server.
    for tag, attrs in parsed.tags:
        if tag != "a":
            for name in URL_ATTRIBUTES & set(attrs):
                assert "evil.example" not in attrs[name], (tag, attrs)


def reply(client, thread, body):
    """Post a reply through the page's form, as a browser would; returns the post and page."""

    response = client.form(f"/threads/{thread.id}/reply", {"body": body})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    post = thread_posts(thread)[-1]
    assert post.body == body.strip()
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return post, page.get_data(as_text=True)


def thread_posts(thread):
    from forum.extensions import db
    from forum.threads.models import Post

    db.session.expire_all()
    return (
        db.session.execute(select(Post).where(Post.thread_id == thread.id).order_by(Post.number))
        .scalars()
        .all()
    )


def test_vectors_render_inert(world, login):
    """Every vector through the reply form: the stored HTML and the thread's pages are inert."""
    client = login(world.trainee)
    for vector in VECTORS:
        response = client.form(f"/threads/{world.thread.id}/reply", {"body": vector})
        assert response.status_code == 302, (vector, response.get_data(as_text=True)[:800])
    posts = thread_posts(world.thread)[1:]
    assert [post.body for post in posts] == [vector.strip() for vector in VECTORS]
    failures = []
    for number, post in enumerate(posts):
        try:
            assert_inert_body(post.body_html)
        except AssertionError as error:
            failures.append(f"vector {number} {post.body!r}: {error}")
    pages, page_number = [], 1
    while True:
        response = client.get(f"/threads/{world.thread.id}?page={page_number}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        if pages and html == pages[-1] or page_number > len(VECTORS):
            break
        pages.append(html)
        try:
            assert_inert_page(html)
        except AssertionError as error:
            failures.append(f"page {page_number}: {error}")
        page_number += 1
    shown = "".join(pages)
    failures += [f"vector {n} not shown" for n, post in enumerate(posts) if post.body_html not in shown]
    assert not failures, "\n".join(failures)


def test_there_are_at_least_forty_vectors():
    assert len(VECTORS) >= 40


def test_vectors_through_the_api_and_in_titles(app, world, client):
    from forum.extensions import db
    from forum.threads.models import Thread

    for vector in VECTORS[:20]:
        response = client.api(
            "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.trainee, json={"body": vector}
        )
        assert response.status_code == 201, response.get_json()
        assert_inert_body(response.get_json()["body_html"])

    title = '<script>alert(1)</script><img src=x onerror=alert(1)> "标题"'
    response = client.api(
        "post",
        f"/api/v1/boards/{world.board.id}/threads",
        user=world.trainee,
        json={"title": title, "body": "[x](javascript:alert(1))", "kind": "case"},
    )
    assert response.status_code == 201, response.get_json()
    thread = db.session.get(Thread, response.get_json()["id"])
    browser = client
    browser.login(world.trainee)
    for url in (f"/threads/{thread.id}", f"/boards/{world.board.id}", f"/cohorts/{world.cohort.slug}", "/"):
        page = browser.get(url, follow_redirects=True)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        assert_inert_page(html)


# --- what must keep working -------------------------------------------------------------


def test_markdown_features_survive(world, login):
    source = (
        "**加粗** and *italic*, ~~struck~~ and `code`\n\n"
        "1. 第一\n2. 第二\n\n"
        "- 海绵城市\n- 老旧小区改造\n\n"
        "| 指标 | 数值 |\n| --- | ---: |\n| 年径流总量控制率 | 75% |\n\n"
        "```python\nprint('城市更新')\n```\n\n"
        "> 引用一段话\n\n"
        "## 小标题\n\n"
        "[规划](https://ok.example/plan) and https://ok.example/auto\n\n"
        "![图](/static/favicon.svg)"
    )
    post, page = reply(login(world.trainee), world.thread, source)
    html = post.body_html
    for fragment in (
        "<strong>加粗</strong>",
        "<em>italic</em>",
        "<s>struck</s>",
        "<code>code</code>",
        "<ol>",
        "<li>第一</li>",
        "<ul>",
        "<li>海绵城市</li>",
        "<table>",
        "<th>指标</th>",
        "<td>年径流总量控制率</td>",
        "<pre><code",
        "print(",
        "城市更新",
        "<blockquote>",
        "<h2>小标题</h2>",
        'src="/static/favicon.svg"',
        'alt="图"',
    ):
        assert fragment in html, (fragment, html)
    parsed = inspect_html(html)
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert {a["href"] for a in links} == {"https://ok.example/plan", "https://ok.example/auto"}
    assert all(a["rel"] == "nofollow noopener" for a in links)
    assert_inert_body(html)
    assert html in page
    assert "老旧小区改造" in page and "年径流总量控制率" in page


def test_raw_html_is_shown_as_text_not_lost(world, login):
    post, page = reply(login(world.trainee), world.thread, "比较 a < b 与 <b>标签</b> & 符号")
    assert "&lt;b&gt;标签&lt;/b&gt;" in post.body_html
    assert "&amp; 符号" in post.body_html
    assert "&lt;b&gt;标签&lt;/b&gt;" in page
