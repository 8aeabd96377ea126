"""The browser code's layout: feature folders, small modules, imports that resolve."""

import posixpath
import re

from server.settings import ROOT

JS = ROOT / "web" / "static" / "js"
VENDOR = "vendor"
MAX_LINES = 300
ENTRY = "main.js"  # what every page runs; each page's own entry is under pages/
PAGES = "pages"
TEMPLATES = ROOT / "web" / "templates"
# The shared JSDoc typedefs: read by tsc only (make lint; jsconfig.json maps "#types"
# to it), never loaded by a page nor served (server/site/assets.py), so no feature
# folder, no importer and no line limit apply.
TYPES = "types.js"
# Static imports, re-exports and dynamic imports of a relative path.
IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*(["'])(\.{1,2}/[^"']*)\1""")


def modules() -> dict[str, str]:
    """Every module but the vendored ones and the typedefs, by path under static/js/."""
    return {
        path.relative_to(JS).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(JS.rglob("*.js"))
        if path.relative_to(JS).parts[0] != VENDOR and path.relative_to(JS).as_posix() != TYPES
    }


def imports(name: str, text: str) -> list[str]:
    """The paths under static/js/ that a module imports."""
    folder = posixpath.dirname(name)
    return [posixpath.normpath(posixpath.join(folder, m.group(2))) for m in IMPORT.finditer(text)]


def test_every_module_but_the_entry_sits_in_a_feature_folder() -> None:
    loose = [name for name in modules() if "/" not in name and name != ENTRY]
    assert not loose, f"put these in a feature folder: {loose}"


def test_no_module_is_over_300_lines() -> None:
    long = {name: text.count("\n") for name, text in modules().items()}
    assert not {name: n for name, n in long.items() if n > MAX_LINES}, "split by responsibility"


def test_every_import_names_a_module_that_exists() -> None:
    missing = [
        f"{name} imports {target}"
        for name, text in modules().items()
        for target in imports(name, text)
        if not (JS / target).is_file()
    ]
    assert not missing


def test_every_module_is_reached_from_the_entry() -> None:
    graph = {name: imports(name, text) for name, text in modules().items()}
    entries = [ENTRY, *(name for name in graph if name.startswith(f"{PAGES}/"))]
    seen, todo = set(), entries
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph.get(name, [])
    assert not sorted(set(graph) - seen), "modules nothing loads"


def test_every_page_entry_is_named_by_a_template_and_imported_by_none() -> None:
    named = set(re.findall(r'set page_module = "js/(pages/[^"]+)"', _templates()))
    entries = {name for name in modules() if name.startswith(f"{PAGES}/")}
    assert named == entries
    importers = [
        name for name, text in modules().items() for t in imports(name, text) if t in entries
    ]
    assert not importers, "a page entry runs its page: nothing imports it"


def _templates() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.html"))


def test_the_pattern_sees_every_form_of_import() -> None:
    text = (
        'import { a } from "./a.js";\nimport "../b.js";\nexport { c } from "./c/c.js";\n'
        "const d = () => import('./d.js');\nimport * as e from './e.js';\n"
    )
    assert imports("x/y.js", text) == ["x/a.js", "b.js", "x/c/c.js", "x/d.js", "x/e.js"]
