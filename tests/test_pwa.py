"""The manifest and the service worker as the server renders them."""

import json
import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import ROOT, Settings


def test_manifest_has_what_install_needs(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["id"] == "/"
    assert manifest["name"] == "Spine Routine"
    assert 0 < len(manifest["short_name"]) <= 12
    assert manifest["description"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert manifest["theme_color"]
    assert manifest["background_color"]
    assert manifest["user_preferences"]["color_scheme_dark"]["background_color"] == "#15191d"
    sizes = {(i["sizes"], i["purpose"], i["type"]) for i in manifest["icons"]}
    assert ("192x192", "any", "image/png") in sizes
    assert ("512x512", "any", "image/png") in sizes
    assert ("512x512", "maskable", "image/png") in sizes
    for icon in manifest["icons"] + manifest["screenshots"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon["src"]
        assert served.headers["content-type"].startswith(icon["type"])
    assert all(s["form_factor"] == "narrow" for s in manifest["screenshots"])


def test_png_icons_have_their_declared_sizes(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    for icon in manifest["icons"]:
        if icon["type"] != "image/png":
            continue
        png = client.get(icon["src"], headers={"Accept-Encoding": "identity"}).content
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"]


def test_pages_link_the_manifest_and_ios_icons(client: TestClient) -> None:
    html = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(
        r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon\.\w+\.png">', html
    )
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    assert re.search(r'<script type="module" src="/static/js/main\.\w+\.js"></script>', html)


def worker_constants(text: str) -> tuple[str, list[str]]:
    version = json.loads(re.search(r"const VERSION = (.+);", text).group(1))  # type: ignore[union-attr]
    precache = json.loads(re.search(r"const PRECACHE = (.+);", text).group(1))  # type: ignore[union-attr]
    return version, precache


def test_worker_is_revalidated_and_precaches_everything_offline_needs(
    client: TestClient, app
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    version, precache = worker_constants(response.text)
    assert version == app.state.pwa.version
    pages = ["/", "/workout", "/history", "/settings", "/about", "/offline"]
    exercises = [f"/exercises/{e.id}" for e in app.state.content.routine.exercises]
    english = app.state.pwa.languages["en"]
    assert set(pages + exercises + ["/api/v1/routine?lang=en", "/manifest.webmanifest"]) <= set(
        english
    )
    static = {
        a.url
        for a in app.state.assets
        if not a.name.startswith(("screenshots/", "i18n/"))  # words go with their language
    }
    assert static <= set(precache)
    assert app.state.assets.url("js/workout/player.js") in precache  # modules in folders too
    precache += english
    assert not any("/screenshots/" in url for url in precache)
    for url in precache:
        assert client.get(url).status_code == 200, url
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def copy_tree(tmp_path: Path) -> Settings:
    shutil.copytree(ROOT / "web", tmp_path / "web")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return Settings(
        web_dir=tmp_path / "web", content_dir=tmp_path / "content", database_url="sqlite://"
    )


def test_worker_version_changes_with_assets_content_and_templates(tmp_path: Path) -> None:
    settings = copy_tree(tmp_path)
    versions = [create_app(settings).state.pwa.version]
    assert create_app(settings).state.pwa.version == versions[0], "same files, same version"

    css = settings.web_dir / "static/css/app.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    versions.append(create_app(settings).state.pwa.version)

    exercise = settings.content_dir / "exercises/knee-rolls.json"
    exercise.write_text(exercise.read_text().replace("Knee rolls", "Knee roll"))
    versions.append(create_app(settings).state.pwa.version)

    about = settings.web_dir / "templates/about.html"
    about.write_text(about.read_text().replace("About and safety", "About & safety"))
    versions.append(create_app(settings).state.pwa.version)
    assert len(set(versions)) == 4


def test_offline_page_says_what_still_works(client: TestClient) -> None:
    response = client.get("/offline")
    assert response.template.name == "offline.html"
    for href in ("/", "/workout", "/history", "/settings"):
        assert f'href="{href}"' in response.text
