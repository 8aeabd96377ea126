"""Static files: hashed URLs cached for a year, plain ones revalidated, imports rewritten."""

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.site.assets import AssetError, AssetStore
from server.site.comments import strip_css


def test_hashed_url_is_immutable_with_etag_and_304(client: TestClient, app) -> None:
    url = app.state.assets.url("css/app.css")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", url)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    etag = response.headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_plain_url_is_served_but_revalidated(client: TestClient) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_hash_follows_the_bytes(client: TestClient, app) -> None:
    source = (Path(app.state.settings.web_dir) / "static/css/app.css").read_text()
    url = app.state.assets.url("css/app.css")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    # The style sheet as sent: the source without its comments, hashed as sent.
    assert response.text == strip_css(source)
    assert hashlib.sha256(response.content).hexdigest()[:12] in url


def test_missing_static_file_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/static/css/nothing.css")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_path_traversal_is_not_served(client: TestClient) -> None:
    for path in ("/static/../server/settings.py", "/static/%2e%2e/pyproject.toml"):
        assert client.get(path).status_code == 404


def test_head_gives_headers_without_a_body(client: TestClient, app) -> None:
    response = client.head(app.state.assets.url("icons/icon.svg"))
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_module_imports_point_at_hashed_urls_and_change_with_them(tmp_path: Path) -> None:
    write(tmp_path, "js/util.js", "export const x = 1;\n")
    write(tmp_path, "js/app.js", 'import { x } from "./util.js";\nimport("./lazy/later.js");\n')
    write(tmp_path, "js/lazy/later.js", "import '../util.js';\n")
    store = AssetStore(tmp_path)
    util = store.url("js/util.js")
    app_body = store.find("js/app.js")[0].body.decode()  # type: ignore[index]
    assert f'from "{util}"' in app_body
    assert f'import("{store.url("js/lazy/later.js")}")' in app_body
    assert f"import '{util}'" in store.find("js/lazy/later.js")[0].body.decode()  # type: ignore[index]

    before = store.url("js/app.js")
    write(tmp_path, "js/util.js", "export const x = 2;\n")
    after = AssetStore(tmp_path)
    assert after.url("js/util.js") != util
    assert after.url("js/app.js") != before, "an importer must change when its import does"


def test_re_exports_across_folders_point_at_hashed_urls(tmp_path: Path) -> None:
    # A feature's front module re-exports its parts, and features import each other.
    write(tmp_path, "js/lib/db.js", "export const db = 1;\n")
    write(tmp_path, "js/sync/api.js", 'import { db } from "../lib/db.js";\nexport const api = 1;\n')
    write(tmp_path, "js/sync/sync.js", 'export { api } from "./api.js";\n')
    write(tmp_path, "js/main.js", 'import("./sync/sync.js");\n')
    store = AssetStore(tmp_path)
    assert re.fullmatch(r"/static/js/sync/api\.[0-9a-f]{12}\.js", store.url("js/sync/api.js"))
    front = store.find("js/sync/sync.js")[0].body.decode()  # type: ignore[index]
    assert front == f'export {{ api }} from "{store.url("js/sync/api.js")}";\n'
    api = store.find("js/sync/api.js")[0].body.decode()  # type: ignore[index]
    assert f'from "{store.url("js/lib/db.js")}"' in api
    main = store.find("js/main.js")[0].body.decode()  # type: ignore[index]
    assert f'import("{store.url("js/sync/sync.js")}")' in main


def test_import_cycles_and_missing_modules_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "js/a.js", 'import "./b.js";\n')
    write(tmp_path, "js/b.js", 'import "./a.js";\n')
    with pytest.raises(AssetError, match="import cycle"):
        AssetStore(tmp_path)
    write(tmp_path, "js/b.js", 'import "./gone.js";\n')
    with pytest.raises(AssetError, match="missing module"):
        AssetStore(tmp_path)


def test_type_checker_files_are_not_served(tmp_path: Path) -> None:
    # types.js and *.d.ts are for tsc (make lint): no page loads them, none is precached.
    write(tmp_path, "js/types.js", "/** @typedef {number} N */\nexport {};\n")
    write(tmp_path, "js/vendor/qrcode.d.ts", "export function qrcode(n: number): void;\n")
    write(tmp_path, "js/vendor/qrcode.js", "export function qrcode() {}\n")
    store = AssetStore(tmp_path)
    assert sorted(a.name for a in store) == ["js/vendor/qrcode.js"]
    assert store.find("js/types.js") is None


def test_the_app_serves_no_type_checker_files(app) -> None:
    names = [a.name for a in app.state.assets]
    assert "js/vendor/qrcode.js" in names
    assert [n for n in names if n == "js/types.js" or n.endswith(".d.ts")] == []


def test_unknown_asset_name_fails_loudly(app) -> None:
    with pytest.raises(AssetError, match="no static file"):
        app.state.assets.url("css/typo.css")


def test_preloads_follow_the_static_imports_deepest_first(tmp_path: Path) -> None:
    write(tmp_path, "js/lib/db.js", "export const db = 1;\n")
    write(tmp_path, "js/lib/i18n.js", 'import { db } from "./db.js";\nexport const t = 1;\n')
    write(tmp_path, "js/later.js", 'import { t } from "./lib/i18n.js";\nexport const x = 1;\n')
    write(
        tmp_path,
        "js/pages/home.js",
        '// import { gone } from "../gone.js";\n'
        'import { t } from "../lib/i18n.js";\nconst later = () => import("../later.js");\n',
    )
    write(tmp_path, "js/main.js", 'import { db } from "./lib/db.js";\n')
    store = AssetStore(tmp_path)
    url = store.url
    # An import() is left out, and so is an import named in a comment.
    assert store.preloads("js/pages/home.js") == [url("js/lib/db.js"), url("js/lib/i18n.js")]
    # Two entries share their imports once; an entry is never preloaded.
    assert store.preloads("js/main.js", "js/pages/home.js") == [
        url("js/lib/db.js"),
        url("js/lib/i18n.js"),
    ]
    assert store.preloads("js/later.js", "js/lib/i18n.js") == [url("js/lib/db.js")]
    with pytest.raises(AssetError, match="no static file"):
        store.preloads("js/pages/typo.js")


def test_each_page_preloads_its_modules_and_not_what_waits_for_a_tap(
    client: TestClient, app
) -> None:
    assets = app.state.assets
    for path, entry, lazy in [
        ("/", "js/pages/home.js", ["js/workout/duration.js", "js/sync/sync.js"]),
        ("/workout", "js/pages/workout.js", ["js/sync/sync.js"]),
        ("/settings", "js/pages/settings.js", ["js/vendor/qrcode.js", "js/data/import.js"]),
        ("/about", None, ["js/progress/week.js"]),
    ]:
        html = client.get(path).text
        scripts = re.findall(r'<script type="module" src="([^"]+)"', html)
        preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)
        assert scripts == [assets.url("js/main.js"), *([assets.url(entry)] if entry else [])]
        assert preloaded == assets.preloads("js/main.js", *([entry] if entry else []))
        assert assets.url("js/lib/i18n.js") in preloaded, path
        for name in lazy:
            assert assets.url(name) not in preloaded, (path, name)
        for href in preloaded:
            assert client.get(href).status_code == 200
