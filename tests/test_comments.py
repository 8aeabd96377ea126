"""Scripts and style sheets are served without comments, and with nothing else changed."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.settings import ROOT
from server.site.comments import strip_css, strip_js

STATIC = ROOT / "web" / "static"


@pytest.mark.parametrize(
    ("source", "served"),
    [
        # A comment alone on its line takes the line; one after code, the spaces before it.
        ("// @ts-check\n// Why.\nconst a = 1; // one\n", "const a = 1;\n"),
        (
            "/**\n * Doc.\n * @param {number} x\n */\nexport function f(x) {}\n",
            "export function f(x) {}\n",
        ),
        ("  if (a) {\n    // inside\n    go();\n  }\n", "  if (a) {\n    go();\n  }\n"),
        # Between tokens a comment leaves a space, never joins them.
        ("return a/**/b;\n", "return a b;\n"),
        ("const t = /** @type {X} */ (y);\n", "const t =  (y);\n"),
        # Strings keep what looks like a comment.
        ('const u = "http://example.org/*x*/";\n', 'const u = "http://example.org/*x*/";\n'),
        ("const q = '// not' + \"/* not */\";\n", "const q = '// not' + \"/* not */\";\n"),
        ('const e = "a \\" // b";\n', 'const e = "a \\" // b";\n'),
        # So do template literals, across lines and through nested ${...}.
        ("const s = `a\n// b\n/* c */`;\n", "const s = `a\n// b\n/* c */`;\n"),
        (
            "const s = `${x /* c */ + `in ${'}'} //`} // z`; // end\n",
            "const s = `${x  + `in ${'}'} //`} // z`;\n",
        ),
        ("const o = `${{ a: 1 }.a} //`;\n", "const o = `${{ a: 1 }.a} //`;\n"),
        # Regular expressions too; a slash after a value is a division.
        ("const r = /\\/\\/*[/]/g.test(s);\n", "const r = /\\/\\/*[/]/g.test(s);\n"),
        ("if (ok) return /['\"`]/.test(s);\n", "if (ok) return /['\"`]/.test(s);\n"),
        ("const d = a / 2 / b; // half\n", "const d = a / 2 / b;\n"),
        ("const m = x.replace(/\\/*$/, ''); /* end */\n", "const m = x.replace(/\\/*$/, '');\n"),
    ],
)
def test_javascript_comments_go_and_the_code_stays(source: str, served: str) -> None:
    assert strip_js(source) == served


def test_css_comments_go_and_strings_stay() -> None:
    source = (
        "/* The page. */\n"
        "a { color: red; } /* after */\n"
        "  /* alone, indented */\n"
        "b::before { content: '/* not */'; background: url(\"x//y.svg\"); }\n"
    )
    assert strip_css(source) == (
        "a { color: red; }\nb::before { content: '/* not */'; background: url(\"x//y.svg\"); }\n"
    )


def served(client: TestClient, name: str) -> str:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    return response.text


def test_every_module_is_served_without_comment_lines(client: TestClient) -> None:
    names = [
        p.relative_to(STATIC).as_posix()
        for p in sorted((STATIC / "js").rglob("*.js"))
        if "vendor" not in p.parts and p.name != "types.js"
    ]
    assert len(names) > 40
    for name in names:
        text = served(client, name)
        source = (STATIC / name).read_text()
        lines = [line.strip() for line in text.splitlines()]
        assert not [line for line in lines if line.startswith(("//", "/*", "* ", "*/"))], name
        # What is left is the source's code, line for line (imports hashed).
        assert len(text) < len(source), name
        assert text.count("\n") == strip_js(source).count("\n"), name


def test_the_style_sheet_is_smaller_and_the_vendored_code_untouched(client: TestClient) -> None:
    css = served(client, "css/app.css")
    assert "/*" not in css
    assert len(css) < len((STATIC / "css/app.css").read_text())
    for vendored in Path(STATIC / "js" / "vendor").glob("*.js"):
        name = vendored.relative_to(STATIC).as_posix()
        assert served(client, name) == vendored.read_text(), name
