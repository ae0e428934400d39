"""Known-answer queries through the real stack (posts written by the services, indexed
by the inline worker, searched through the API): Chinese words and their parts,
traditional/simplified, full-width, English stems, phrases, exclusion, OR, filters,
sorting and "did you mean"."""

import pytest

PHRASE_TEXT = (
    "深入推进以人为核心的新型城镇化战略，健全城乡融合发展体制机制，"
    "实施城市更新行动，加强城市基础设施建设，打造宜居、韧性、智慧城市。"
)


def search(client, user, q, **params):
    response = client.api("get", "/api/v1/search", user=user, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids(found, kind="post"):
    return [r["id"] for r in found["results"] if r["type"] == kind]


@pytest.fixture
def posts(world, make_thread, make_post):
    """A thread with a few replies in the world's cohort; ``posts[name]`` is a Post."""
    thread = make_thread(world.board, world.teacher, "专题研讨：城市治理", "欢迎大家发言。")
    texts = {
        "master_plan": "我们城市正在编制城市总体规划，需要统筹生产生活生态空间。",
        "plan_office": "规划局发布了一个通知。",
        "loose": "这个总体上看还可以，具体规划另行安排。",
        "traditional": "城市總體規劃與歷史文化保護並重。",
        "fullwidth": "ＰＰＰ模式与ＣＯＶＩＤ１９疫情后的财政压力。",
        "english": "Planning sponge cities requires governing stormwater carefully.",
        "reversed": "The city sponge is a strange phrase.",
        "rural": "乡村振兴与城乡规划的衔接。",
        "flood": "防汛抗旱工作要点。",
        "phrases": PHRASE_TEXT,
    }
    return {name: make_post(thread, world.trainee, body) for name, body in texts.items()}


def test_a_word_finds_the_longer_word_that_contains_it_and_ranks_it(client, world, posts):
    found = search(client, world.trainee, "规划")
    assert {posts["master_plan"].id, posts["plan_office"].id, posts["traditional"].id} <= set(ids(found))
    ranked = ids(search(client, world.trainee, "总体规划"))
    # The post that has the word 总体规划 ranks above the one with 总体 ... 规划 apart;
    # the one with only 规划 is not found.
    assert ranked.index(posts["master_plan"].id) < ranked.index(posts["loose"].id)
    assert posts["plan_office"].id not in ranked


def test_traditional_and_simplified_match_each_other(client, world, posts):
    assert posts["traditional"].id in ids(search(client, world.trainee, "历史文化保护"))
    assert posts["master_plan"].id in ids(search(client, world.trainee, "統籌生產生活"))


def test_full_width_and_half_width_match(client, world, posts):
    assert ids(search(client, world.trainee, "covid19")) == [posts["fullwidth"].id]
    assert ids(search(client, world.trainee, "ｐｐｐ")) == [posts["fullwidth"].id]


def test_english_words_are_stemmed(client, world, posts):
    assert ids(search(client, world.trainee, "plans city governance")) == [posts["english"].id]
    hit = search(client, world.trainee, "plans")["results"][0]
    assert "<mark>Planning</mark>" in hit["snippet_html"]


def test_phrases_in_quotes(client, world, posts):
    assert ids(search(client, world.trainee, '"sponge cities"')) == [posts["english"].id]
    assert set(ids(search(client, world.trainee, "sponge city"))) == {
        posts["english"].id,
        posts["reversed"].id,
    }
    both = {posts["master_plan"].id, posts["traditional"].id}  # 城市總體規劃 is the same phrase
    assert set(ids(search(client, world.trainee, '"城市总体规划"'))) == both
    assert ids(search(client, world.trainee, '"总体规划 城市"')) == []
    assert ids(search(client, world.trainee, "“编制城市总体规划”")) == [posts["master_plan"].id]


def test_every_chinese_phrase_of_a_sentence_is_found(client, world, posts):
    """The stock analyzer found 0 of such phrases: positions must be word positions."""
    from forum.search.analyzer import words

    terms = [t for t, _p, _s, _e in words(PHRASE_TEXT)]
    base = [t for t in terms if len(t) > 1 or t not in "，、。"]
    phrases = ["".join(base[i : i + 3]) for i in range(0, len(base) - 3, 2)]
    assert len(phrases) >= 8
    for phrase in phrases:
        assert ids(search(client, world.trainee, f'"{phrase}"')) == [posts["phrases"].id], phrase


def test_exclusion_and_or(client, world, posts):
    found = ids(search(client, world.trainee, "规划 -乡村"))
    assert posts["master_plan"].id in found and posts["rural"].id not in found
    assert ids(search(client, world.trainee, '规划 -"总体规划"')).count(posts["master_plan"].id) == 0
    either = set(ids(search(client, world.trainee, "防汛 OR 乡村振兴")))
    assert either == {posts["flood"].id, posts["rural"].id}


def test_filters_type_cohort_author_year(client, world, posts, make_thread, make_post):
    other_thread = make_thread(world.board, world.teacher, "规划专题第二讲", "老师的规划讲义。")
    threads = {other_thread.id, world.thread.id}  # 规划专题第二讲, 城市总体规划的实施
    assert set(ids(search(client, world.trainee, "规划", type="thread"), "thread")) == threads
    assert search(client, world.trainee, "规划 type:thread")["total"] == 2
    by_teacher = search(client, world.trainee, "规划", author="teacher", type="post")
    assert by_teacher["total"] == 1  # the opening post of the second thread
    assert not set(ids(by_teacher)) & {p.id for p in posts.values()}
    assert search(client, world.trainee, "规划 author:trainee")["total"] >= 4
    year = posts["master_plan"].created_at.year
    assert search(client, world.trainee, f"总体规划 year:{year}")["total"] >= 1
    assert search(client, world.trainee, f"总体规划 year:{year - 5}")["total"] == 0
    assert search(client, world.trainee, "总体规划", cohort=world.cohort.slug)["total"] >= 1
    assert search(client, world.trainee, "总体规划", cohort=world.other.slug)["total"] == 0


def test_course_filter_and_type_material(client, world):
    import io

    def upload(text, course):
        data = {
            "file": (io.BytesIO(text.encode()), "notes.txt"),
            "cohort": world.cohort.slug,
            "course": course,
        }
        return client.api(
            "post", "/api/v1/materials", user=world.teacher, data=data, content_type="multipart/form-data"
        ).get_json()

    first = upload("城市安全与应急管理讲义", "应急管理")
    upload("城市安全与基层治理讲义", "基层治理")
    found = search(client, world.trainee, "城市安全", course="应急管理")
    assert [r["id"] for r in found["results"]] == [first["id"]]
    assert search(client, world.trainee, 'type:material course:"应急"')["total"] == 1
    assert search(client, world.trainee, "城市安全", type="material")["total"] == 2


def test_sort_by_date_puts_the_newest_first(client, world, posts, make_post):
    newest = make_post(posts["master_plan"].thread, world.trainee, "最新的规划意见。")
    found = search(client, world.trainee, "规划", sort="date", type="post")
    assert found["results"][0]["id"] == newest.id


def test_did_you_mean_for_a_mistyped_english_word(client, world, posts):
    found = search(client, world.trainee, "stormwatr")
    assert found["total"] == 0 and found["suggestion"] == "stormwater"
    assert "suggestion" not in search(client, world.trainee, "stormwater")


def test_bad_input_is_a_clear_400(client, world):
    response = client.api(
        "get", "/api/v1/search", user=world.trainee, query_string={"q": "x", "type": "bogus"}
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid"
    response = client.api(
        "get", "/api/v1/search", user=world.trainee, query_string={"q": "x", "year": "20x4"}
    )
    assert response.status_code == 400
    response = client.api("get", "/api/v1/search", user=world.trainee, query_string={"q": "x" * 501})
    assert response.status_code == 400
    assert client.get("/api/v1/search?q=x").status_code == 401
    assert search(client, world.trainee, "。，、")["total"] == 0
    assert search(client, world.trainee, "")["total"] == 0


def test_search_page_renders_highlighted_results(login, world, posts):
    page = login(world.trainee).get("/search", query_string={"q": "总体规划"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>总体规划</mark>" in html and "专题研讨：城市治理" in html
    bad = login(world.trainee).get("/search", query_string={"q": "x", "type": "nope"})
    assert bad.status_code == 400


def test_every_hit_on_a_page_is_highlighted_with_its_own_words(client, world, posts):
    """The page's highlights come from one walk over each word's postings: every hit
    gets its own matches at its own places."""
    found = search(client, world.trainee, "通知 OR 防汛 OR 衔接")
    snippets = {r["id"]: r["snippet_html"].strip() for r in found["results"]}
    assert snippets == {
        posts["plan_office"].id: "规划局发布了一个<mark>通知</mark>。",
        posts["flood"].id: "<mark>防汛</mark>抗旱工作要点。",
        posts["rural"].id: "乡村振兴与城乡规划的<mark>衔接</mark>。",
    }


def test_a_phrase_needs_its_words_in_order_and_next_to_each_other(client, world, posts):
    """Candidates for a phrase are found rarest word first; the order still counts."""
    assert ids(search(client, world.trainee, '"城市 基础设施 建设"')) == [posts["phrases"].id]
    assert ids(search(client, world.trainee, '"城市 建设"')) == []  # both there, not adjacent
    assert ids(search(client, world.trainee, '"建设 基础设施 城市"')) == []
