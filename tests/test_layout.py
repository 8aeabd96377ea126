"""The server's shape, as docs/ARCHITECTURE.md draws it: small modules, and features
that import only what they may (the cross-cutting pieces at the top of server/)."""

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parent.parent / "server"
MAX_LINES = 350
FEATURES = {"sync", "reminders", "site", "i18n"}
# What each feature may import besides the top-level modules; the rest is refused.
MAY_IMPORT = {
    "sync": {"site", "i18n"},  # records check ids against the content, languages
    "reminders": {"sync", "i18n", "site"},
    "site": {"sync", "i18n"},  # /api/v1/config tells the sync limits
    "i18n": set(),
}
# Top-level modules every feature may use; they import no feature at run time.
CROSS_CUTTING = {"clock", "deps", "http", "tokens", "errors", "models", "db", "state"}


def imports(path: Path) -> set[str]:
    """The server packages and modules a file imports at run time (not for types)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    package = path.relative_to(SERVER.parent).with_suffix("").parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            target = [*base, *(node.module.split(".") if node.module else [])]
            names = [target] if node.module else [[*target, a.name] for a in node.names]
            for name in names:
                if len(name) > 1:
                    found.add(name[1])
    return found


def test_no_server_module_is_long() -> None:
    long = {
        str(p.relative_to(SERVER)): n
        for p in SERVER.rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_features_import_only_what_they_may() -> None:
    wrong = []
    for feature in FEATURES:
        for path in (SERVER / feature).rglob("*.py"):
            for name in imports(path) & FEATURES - {feature} - MAY_IMPORT[feature]:
                wrong.append(f"{path.relative_to(SERVER)} imports {name}")
    assert wrong == []


def test_sync_knows_nothing_of_reminders() -> None:
    for path in (SERVER / "sync").rglob("*.py"):
        assert "reminders" not in imports(path), path


def test_the_cross_cutting_modules_import_no_feature() -> None:
    for name in CROSS_CUTTING:
        assert imports(SERVER / f"{name}.py") & FEATURES == set(), name
