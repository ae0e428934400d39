"""Chinese and English: every string translated, and a language switch that sticks."""

import importlib.util
import os
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "forum" / "translations"


def _load_checker():
    spec = importlib.util.spec_from_file_location("i18n_check", ROOT / "scripts" / "i18n_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """`make test` compiles the catalogues; compile them here too for a plain `pytest`."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with open(po, "rb") as source:
            catalog = read_po(source)
        partial = po.with_suffix(f".mo.{os.getpid()}")
        with open(partial, "wb") as target:
            write_mo(target, catalog)
        os.replace(partial, po.with_suffix(".mo"))


def test_every_msgid_has_a_chinese_translation():
    problems = _load_checker().problems("zh")
    assert not problems, "run `make translations`, then translate:\n" + "\n".join(problems)


def test_the_english_catalogue_exists_and_is_not_broken():
    checker = _load_checker()
    problems = [line for line in checker.problems("en") if not line.startswith("untranslated")]
    assert not problems, "\n".join(problems)


def page_language(response) -> str:
    html = response.get_data(as_text=True)
    if '<html lang="zh-CN"' in html and "退出" in html and "Sign out" not in html:
        return "zh"
    if '<html lang="en"' in html and "Sign out" in html and "退出" not in html:
        return "en"
    raise AssertionError(f"no single language on the page: {html[:600]}")


def test_chinese_is_the_default_and_english_is_one_click_away(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN"' in html and "登录" in html
    response = client.form("/language", {"locale": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html and "Sign in" in html and "登录" not in html


def test_the_choice_is_remembered_on_the_account(app, world, login):
    client = login(world.trainee)
    assert page_language(client.get("/")) == "zh"
    client.form("/language", {"locale": "en", "next": "/"})
    assert page_language(client.get("/")) == "en"
    client.form("/logout")

    # A new browser (no session, no cookie): English again after signing in.
    other = login(world.trainee)
    assert page_language(other.get("/")) == "en"
    # Another user still gets the default.
    assert page_language(login(world.teacher).get("/")) == "zh"

    other.form("/language", {"locale": "zh_CN", "next": "/"})
    assert page_language(login(world.trainee).get("/")) == "zh"


def test_an_unknown_language_is_ignored(client, world):
    client.login(world.trainee)
    client.form("/language", {"locale": "fr", "next": "/"})
    assert page_language(client.get("/")) == "zh"


def test_the_switch_never_redirects_elsewhere(client):
    response = client.form("/language", {"locale": "en", "next": "https://example.org/"})
    assert response.status_code == 302
    assert "example.org" not in response.headers["Location"]


def test_the_sign_in_notice_is_in_the_readers_language(client):
    html = client.get("/materials/", follow_redirects=True).get_data(as_text=True)
    assert "请先登录。" in html and "log in" not in html
    client.form("/language", {"locale": "en", "next": "/login"})
    html = client.get("/materials/", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in." in html and "log in" not in html
