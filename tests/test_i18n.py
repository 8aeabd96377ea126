"""Languages: every page, word and fact in English, Spanish and German."""

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server import i18n
from server.app import create_app
from server.i18n import CatalogError, negotiate
from server.settings import Settings
from server.site.content import EXERCISE_IDS, ContentError

from .conftest import ROOT

LANGUAGES = ("en", "es", "de")
OTHERS = ("es", "de")
PAGES = ["/", "/workout", "/history", "/settings", "/about", "/summary", "/offline"]
EXERCISES = list(EXERCISE_IDS)
JS = ROOT / "web" / "static" / "js"
CATALOGS = ROOT / "web" / "static" / "i18n"
LOCALES = ROOT / "server" / "i18n" / "locales"
# Words of the English interface that no Spanish or German page should show.
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|Settings|History|Workout|Save|Skip|Pause|Resume|Start|"
    r"minutes?|seconds?|exercises?|Download|Reminders?|Install|Language|About|Safety|"
    r"Week|Today|Back|Next|sessions?|Turn on|Sync)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings(environment="test", database_url="sqlite://"))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def page_url(lang: str, path: str) -> str:
    if lang == "en":
        return path
    return f"/{lang}/" if path == "/" else f"/{lang}{path}"


class VisibleText(HTMLParser):
    """What a person sees or hears from a page: text and the texts in attributes."""

    SHOWN = ("alt", "title", "aria-label", "placeholder", "value")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.foreign = 0  # inside an element in another language (the language links)
        self.stack: list[bool] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag in ("script", "style"):
            self.skip += 1
        void = tag in ("meta", "link", "input", "img", "br", "hr", "source")
        foreign = "lang" in values and tag != "html" and values["lang"] != self.lang
        if not void:
            self.stack.append(foreign)
            self.foreign += foreign
        if tag == "meta" and values.get("name") == "description":
            self.parts.append(values.get("content") or "")
        if not self.foreign:
            self.parts += [values[a] or "" for a in self.SHOWN if values.get(a)]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        if self.stack:
            self.foreign -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip and not self.foreign:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).replace("Spine Routine", "").split())


# --- Every page in every language -------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES + [f"/exercises/{e}" for e in EXERCISES])
def test_every_page_renders_in_each_language_with_lang_and_hreflang(
    client: TestClient, lang: str, path: str
) -> None:
    response = client.get(page_url(lang, path))
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    for other in LANGUAGES:
        assert (
            f'<link rel="alternate" hreflang="{other}" '
            f'href="http://testserver{page_url(other, path)}">' in html
        )
    assert 'hreflang="x-default"' in html
    # Links to the app's pages stay in the page's language.
    for href in re.findall(r'href="(/[^"]*)"', html):
        if lang != "en" and not href.startswith(("/static/", "/api/", "/docs")):
            assert href.startswith(f"/{lang}/") or href.split("#")[0] in {
                page_url(o, path) for o in LANGUAGES
            }, href


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("path", PAGES + [f"/exercises/{e}" for e in EXERCISES] + ["/nope"])
def test_no_english_is_left_on_spanish_and_german_pages(
    client: TestClient, lang: str, path: str
) -> None:
    response = client.get(page_url(lang, path))
    text = visible(response.text)
    assert text
    found = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    assert not found, f"{page_url(lang, path)} shows English: {found}\n{text}"


def test_the_english_word_check_finds_english(client: TestClient) -> None:
    # The check above would fail on an English page: it can fail.
    assert ENGLISH.search(visible(client.get("/settings").text))


@pytest.mark.parametrize("lang", OTHERS)
def test_a_page_names_its_words_catalog_at_a_hashed_url(client: TestClient, lang: str) -> None:
    html = client.get(page_url(lang, "/workout")).text
    url = re.search(r'<meta name="catalog" content="([^"]+)">', html)
    assert url
    assert re.fullmatch(rf"/static/i18n/{lang}\.[0-9a-f]{{12}}\.json", url.group(1))
    catalog = client.get(url.group(1))
    assert catalog.headers["cache-control"].startswith("public, max-age=31536000")
    assert catalog.json()["Pause"] != "Pause"
    assert 'name="catalog"' not in client.get("/workout").text


def test_a_missing_page_in_spanish_is_a_spanish_404(client: TestClient) -> None:
    response = client.get("/es/nothing-here", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert '<html lang="es">' in response.text
    # The API and static files have no language prefix.
    assert client.get("/es/api/v1/routine").status_code == 404


def test_a_language_prefix_alone_goes_to_its_home_page(client: TestClient) -> None:
    response = client.get("/de", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/de/"


# --- Choosing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de", "/de/"),
        ("de-CH,de;q=0.9,en;q=0.5", "/de/"),
        ("es-MX,es;q=0.9", "/es/"),
        ("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7", "/es/"),
        ("en-GB,en;q=0.9,de;q=0.8", None),
        ("fr,it", None),
        ("", None),
        ("es;q=0, de;q=0.1", "/de/"),
        ("garbage;;;q=x, ,", None),
    ],
)
def test_the_first_visit_to_the_home_page_follows_accept_language(
    client: TestClient, header: str, expected: str | None
) -> None:
    client.cookies.clear()
    response = client.get("/", headers={"Accept-Language": header}, follow_redirects=False)
    # Both answers vary by what decided them, so no cache serves one for the other.
    assert response.headers["vary"] == "Accept-Encoding, Accept-Language, Cookie"
    assert response.headers["cache-control"] == "no-cache"
    if expected is None:
        assert response.status_code == 200
        assert '<html lang="en">' in response.text
    else:
        assert response.status_code == 302
        assert response.headers["location"] == expected


def test_a_chosen_language_wins_over_the_browsers(client: TestClient) -> None:
    client.cookies.clear()
    client.cookies.set("lang", "en")
    assert client.get("/", headers={"Accept-Language": "de"}).status_code == 200
    client.cookies.set("lang", "es")
    response = client.get("/", headers={"Accept-Language": "de"}, follow_redirects=False)
    assert response.headers["location"] == "/es/"
    client.cookies.set("lang", "xx")  # not a language we speak: the browser decides
    response = client.get("/", headers={"Accept-Language": "de"}, follow_redirects=False)
    assert response.headers["location"] == "/de/"
    client.cookies.clear()


def test_the_service_worker_fetches_the_english_home_page_as_it_is(client: TestClient) -> None:
    headers = {"Accept-Language": "de", "Sec-Fetch-Mode": "same-origin"}
    response = client.get("/", headers=headers, follow_redirects=False)
    assert response.status_code == 200


DEEP_LINKS = [p for p in PAGES if p != "/"] + ["/exercises/knee-rolls"]


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("path", DEEP_LINKS)
def test_a_deep_link_follows_the_browsers_language_like_the_home_page(
    client: TestClient, lang: str, path: str
) -> None:
    client.cookies.clear()
    headers = {"Accept-Language": f"{lang}-XX,{lang};q=0.9,en;q=0.5"}
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == f"/{lang}{path}"
    assert response.headers["vary"] == "Accept-Encoding, Accept-Language, Cookie"
    assert response.headers["cache-control"] == "no-cache"
    # The query goes along.
    response = client.get(f"{path}?from=reminder&x=%2F", headers=headers, follow_redirects=False)
    assert response.headers["location"] == f"/{lang}{path}?from=reminder&x=%2F"
    landed = client.get(path, headers=headers)
    assert landed.status_code == 200
    assert f'<html lang="{lang}">' in landed.text


@pytest.mark.parametrize("path", DEEP_LINKS)
def test_a_deep_link_stays_english_for_an_english_choice_or_browser(
    client: TestClient, path: str
) -> None:
    client.cookies.clear()
    client.cookies.set("lang", "en")
    response = client.get(path, headers={"Accept-Language": "es"}, follow_redirects=False)
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    # The English page depends on the cookie and the browser's languages too.
    assert response.headers["vary"] == "Accept-Encoding, Accept-Language, Cookie"
    client.cookies.set("lang", "de")
    response = client.get(path, headers={"Accept-Language": "en"}, follow_redirects=False)
    assert response.headers["location"] == f"/de{path}"
    client.cookies.clear()
    for header in ("en-GB,en;q=0.9,es;q=0.8", "fr", ""):
        response = client.get(path, headers={"Accept-Language": header}, follow_redirects=False)
        assert response.status_code == 200, header


def test_a_prefixed_page_does_not_depend_on_the_browsers_language(client: TestClient) -> None:
    client.cookies.clear()
    response = client.get("/es/workout", headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept-Encoding"


def test_a_language_redirect_is_never_built_from_the_host_header(client: TestClient) -> None:
    client.cookies.clear()
    headers = {"Accept-Language": "es", "Host": "evil.example"}
    for path, expected in [
        ("/workout", "/es/workout"),
        ("/", "/es/"),
        ("/about?a=b", "/es/about?a=b"),
    ]:
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.status_code == 302
        assert response.headers["location"] == expected
        assert "evil" not in response.headers["location"]
    # A path that looks like another host is no page of ours: no redirect at all.
    for url in ("//evil.example/workout", "/exercises/%2F%2Fevil.example"):
        response = client.get(
            f"http://testserver{url}",
            headers={**headers, "Accept": "text/html"},
            follow_redirects=False,
        )
        assert response.status_code == 404
        assert "location" not in response.headers


@pytest.mark.parametrize("path", DEEP_LINKS)
def test_the_service_worker_precaches_the_english_deep_links_as_they_are(
    client: TestClient, path: str
) -> None:
    headers = {"Accept-Language": "de", "Sec-Fetch-Mode": "cors", "Cookie": "lang=es"}
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 200
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/routine",
        "/api/v1/config",
        "/healthz",
        "/sw.js",
        "/manifest.webmanifest",
        "/static/nope.css",
    ],
)
def test_the_api_static_files_and_the_worker_do_not_follow_the_language(
    client: TestClient, path: str
) -> None:
    client.cookies.clear()
    headers = {"Accept-Language": "es", "Cookie": "lang=de"}
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code in (200, 404)
    assert "location" not in response.headers
    assert "Cookie" not in response.headers.get("vary", "")


def test_negotiate_prefers_quality_then_order() -> None:
    assert negotiate("de;q=0.5, es", ("en", "es", "de")) == "es"
    assert negotiate("DE-de", ("en", "es", "de")) == "de"
    assert negotiate("*", ("en", "es", "de")) is None


# --- The content API --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_routine_api_answers_in_the_language_asked(client: TestClient, lang: str) -> None:
    by_query = client.get(f"/api/v1/routine?lang={lang}")
    by_header = client.get("/api/v1/routine", headers={"Accept-Language": f"{lang};q=0.9"})
    for response in (by_query, by_header):
        assert response.status_code == 200
        assert response.headers["content-language"] == lang
        assert "Accept-Language" in response.headers["vary"]
    assert by_query.content == by_header.content
    assert by_query.json()["title"] == client.app.state.contents[lang].routine.title  # type: ignore[attr-defined]
    revalidated = client.get(
        f"/api/v1/routine?lang={lang}", headers={"If-None-Match": by_query.headers["etag"]}
    )
    assert revalidated.status_code == 304


def test_each_language_has_its_own_etag_and_words(client: TestClient) -> None:
    answers = {lang: client.get(f"/api/v1/routine?lang={lang}") for lang in LANGUAGES}
    assert len({a.headers["etag"] for a in answers.values()}) == 3
    assert len({a.json()["exercises"][0]["name"] for a in answers.values()}) == 3
    # A Spanish ETag does not validate the German answer.
    german = client.get(
        "/api/v1/routine?lang=de", headers={"If-None-Match": answers["es"].headers["etag"]}
    )
    assert german.status_code == 200


@pytest.mark.parametrize("asked", ["?lang=fr", "?lang=", "?lang=%00%ff", "?lang=EN"])
def test_an_unknown_language_gets_english_never_an_error(client: TestClient, asked: str) -> None:
    response = client.get(f"/api/v1/routine{asked}", headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    assert response.json()["title"] == client.get("/api/v1/routine").json()["title"]


def test_one_exercise_comes_in_the_language_asked(client: TestClient) -> None:
    response = client.get("/api/v1/exercises/knee-rolls?lang=de")
    assert response.headers["content-language"] == "de"
    assert response.json()["name"] != client.get("/api/v1/exercises/knee-rolls").json()["name"]


# --- The same facts in every language ----------------------------------------


def facts(value: object, key: str = "") -> object:
    """Everything in a content file but its words."""
    words = key not in {"id", "kind", "breath", "sides", "level", "illustration", "exercises"}
    if isinstance(value, dict):
        return {k: facts(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [facts(v, key) for v in value]
    return "<words>" if isinstance(value, str) and words else value


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("name", ["routine.json", *(f"exercises/{e}.json" for e in EXERCISES)])
def test_facts_are_identical_in_every_language(lang: str, name: str) -> None:
    english = json.loads((ROOT / "content" / name).read_text(encoding="utf-8"))
    translated = json.loads((ROOT / "content" / lang / name).read_text(encoding="utf-8"))
    assert facts(translated) == facts(english)
    # And the words are translated, not copied.
    assert translated["summary"] != english["summary"]
    # Numbers in the words are the same numbers (a hold of 5 seconds says 5).
    assert sorted(re.findall(r"\d+", json.dumps(translated, ensure_ascii=False))) == sorted(
        re.findall(r"\d+", json.dumps(english, ensure_ascii=False))
    )


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("exercises/knee-rolls.json", lambda d: d["reps"].update(min=10), "field 'reps.min'"),
        ("exercises/knee-rolls.json", lambda d: d.pop("key_cue"), "field 'key_cue'"),
        ("exercises/upper-ab-crunch.json", lambda d: d["steps"].pop(), "field 'steps'"),
        ("routine.json", lambda d: d["tips"][0].update(id="comida"), "field 'tips.0.id'"),
        ("exercises/knee-rolls.json", lambda d: d["steps"][1].update(breath="exhale"), "breath"),
    ],
)
def test_a_wrong_or_missing_translation_stops_start_up_naming_file_and_key(
    content_copy: Path, name: str, change, expected: str
) -> None:
    path = content_copy / "de" / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        create_app(Settings(content_dir=content_copy, database_url="sqlite://"))
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_missing_content_file_stops_start_up(content_copy: Path) -> None:
    (content_copy / "es" / "exercises" / "knee-rolls.json").unlink()
    with pytest.raises(ContentError, match=r"es/exercises/knee-rolls\.json: the file is missing"):
        create_app(Settings(content_dir=content_copy, database_url="sqlite://"))


# --- Every key in every language ---------------------------------------------


def template_messages() -> set[str]:
    """Every msgid of the templates and the server, as Babel extracts them now."""
    method_map = [("server/**.py", "python"), ("web/templates/**.html", "jinja2")]
    options = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", OTHERS)
def test_every_page_string_is_translated(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    wanted = template_messages()
    assert len(wanted) > 100
    missing = sorted(wanted - set(translated))
    assert not missing, f"{lang} lacks {missing}"
    for msgid in wanted:
        message = translated[msgid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), msgid
        assert not message.fuzzy, msgid
        # Placeholders survive translation.
        assert set(re.findall(r"%\(\w+\)[sd]", str(strings))) == set(
            re.findall(r"%\(\w+\)[sd]", str(message.id))
        ), msgid


def script_messages() -> set[str]:
    """Every t()/tn() key of the ES modules (for tn, the plural English)."""
    keys = set()
    for path in sorted(JS.rglob("*.js")):
        if path.parent.name == "vendor":
            continue
        for _line, message, _comments, _context in extract_from_file(
            "javascript", str(path), keywords={"t": None, "tn": (2, 3)}
        ):
            keys.add(message[1] if isinstance(message, tuple) else message)
    return keys


@pytest.mark.parametrize("lang", OTHERS)
def test_every_script_string_is_translated(lang: str) -> None:
    catalog = json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))
    wanted = script_messages()
    assert len(wanted) > 100
    assert not sorted(wanted - set(catalog)), f"{lang}.json lacks {sorted(wanted - set(catalog))}"
    assert not sorted(set(catalog) - wanted), f"{lang}.json has unused {set(catalog) - wanted}"
    for key, value in catalog.items():
        forms = value.values() if isinstance(value, dict) else [value]
        assert all(isinstance(f, str) and f for f in forms), key
        for form in forms:
            assert set(re.findall(r"\{\w+\}", form)) <= set(re.findall(r"\{\w+\}", key)), key
        if isinstance(value, dict):
            assert {"one", "other"} <= set(value), key


def test_no_script_builds_a_key_from_pieces() -> None:
    # t() and tn() take one literal: a built key could not be found in a catalog.
    for path in sorted(JS.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        for call in re.findall(r"\btn?\((?!\s*[\"\w])", text):
            pytest.fail(f"{path.name}: {call}")
        assert not re.search(r"\bt\(\s*`", text), path.name


def test_an_untranslated_catalog_entry_stops_start_up(tmp_path: Path) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Settings"\nmsgstr "Réglages"\n\nmsgid "History"\nmsgstr ""\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"fr/LC_MESSAGES/messages\.po: msgid 'History'"):
        i18n.load_languages(tmp_path)


def test_languages_are_found_from_their_files() -> None:
    assert i18n.available() == ("en", "de", "es")
    assert i18n.native_name("es") == "Español"
    assert i18n.native_name("de") == "Deutsch"


# --- Installable and offline, per language -----------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_its_manifest(client: TestClient, lang: str) -> None:
    html = client.get(page_url(lang, "/")).text
    href = re.search(r'<link rel="manifest" href="([^"]+)">', html)
    assert href
    manifest = client.get(href.group(1)).json()
    assert manifest["lang"] == lang
    assert manifest["start_url"] == page_url(lang, "/")
    assert manifest["id"] == "/"  # one app, whichever language it was installed from
    english = client.get("/manifest.webmanifest").json()
    assert (manifest["description"] == english["description"]) == (lang == "en")


def test_the_worker_precaches_shared_files_once_and_each_languages_pages_apart(
    client: TestClient, app: FastAPI
) -> None:
    worker = client.get("/sw.js").text
    common = json.loads(re.search(r"const PRECACHE = (.*);", worker).group(1))  # type: ignore[union-attr]
    languages = json.loads(re.search(r"const LANGUAGES = (.*);", worker).group(1))  # type: ignore[union-attr]
    assert set(languages) == set(LANGUAGES)
    assert not any(url.startswith("/static/i18n/") for url in common)
    for lang, urls in languages.items():
        assert page_url(lang, "/workout") in urls
        assert f"/api/v1/routine?lang={lang}" in urls
        assert page_url(lang, "/exercises/knee-rolls") in urls
        assert any(u.startswith(f"/static/i18n/{lang}.") for u in urls) == (lang != "en")
        for url in urls:
            assert client.get(url, headers={"Sec-Fetch-Mode": "cors"}).status_code == 200, url


def test_a_reminder_is_worded_in_the_accounts_language(app: FastAPI) -> None:
    from server.reminders.scheduler import message

    spanish = message(app.state.languages["es"])
    assert spanish["url"] == "/es/workout"
    assert spanish["title"] != message(app.state.languages["en"])["title"]
