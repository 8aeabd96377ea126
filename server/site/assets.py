"""Static files at content-hashed URLs, held in memory with their gzip form.

`css/app.css` is served at `/static/css/app.<hash>.css` with a year-long
immutable cache; the plain name is served too, revalidated on every use, for
anything that has to name a file without knowing its hash. ES modules import
each other by relative path, so each module's imports are rewritten to the
hashed names before its own hash is taken: a change to any module changes the
hash of every module that imports it. Scripts and style sheets are sent
without their comments (comments.py).
"""

import gzip
import hashlib
import mimetypes
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .comments import strip_css, strip_js

_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"']+\.js)\2""")
# For the type checker only (`make lint`): the JSDoc typedefs and the declarations
# of vendored code. No page loads them, so they are neither served nor precached.
_CHECKER_ONLY = ("js/types.js",)
_VENDORED = "js/vendor/"
_COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/manifest+json",
)
_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".css": "text/css",
    ".png": "image/png",
    ".json": "application/json",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
}


@dataclass(frozen=True)
class Asset:
    """One static file, ready to send."""

    name: str  # path under static/, e.g. "css/app.css"
    hashed_name: str  # e.g. "css/app.1a2b3c4d5e.css"
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str

    @property
    def url(self) -> str:
        return f"/static/{self.hashed_name}"


class AssetError(Exception):
    """A static tree that cannot be served (for example, an import cycle)."""


def _media_type(path: Path) -> str:
    media = (
        _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    if media.startswith("text/") or media in (
        "application/json",
        "image/svg+xml",
        "application/manifest+json",
    ):
        media += "; charset=utf-8"
    return media


def _hashed(name: str, digest: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def _without_comments(name: str, body: bytes) -> bytes:
    """Our scripts and style sheets as a phone needs them (comments.py); vendored
    code exactly as its authors published it, licence header and all."""
    if name.startswith(_VENDORED):
        return body
    if name.endswith(".js"):
        return strip_js(body.decode("utf-8")).encode("utf-8")
    if name.endswith(".css"):
        return strip_css(body.decode("utf-8")).encode("utf-8")
    return body


def _checker_only(path: Path, static_dir: Path) -> bool:
    return path.name.endswith(".d.ts") or path.relative_to(static_dir).as_posix() in _CHECKER_ONLY


class AssetStore:
    """Every file under a static folder, by plain and by hashed name."""

    def __init__(self, static_dir: Path):
        self._by_name: dict[str, Asset] = {}
        self._by_hashed: dict[str, Asset] = {}
        # Each module's static imports (not its import() calls), by plain name,
        # and the preload list of each set of entries a page has asked for.
        self._imports: dict[str, list[str]] = {}
        self._preloads: dict[tuple[str, ...], list[str]] = {}
        sources = {
            p.relative_to(static_dir).as_posix(): p.read_bytes()
            for p in sorted(static_dir.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and not _checker_only(p, static_dir)
        }
        for name in sources:
            self._add(name, sources, visiting=())

    def _add(self, name: str, sources: dict[str, bytes], visiting: tuple[str, ...]) -> Asset:
        if name in self._by_name:
            return self._by_name[name]
        if name in visiting:
            raise AssetError(f"import cycle between modules: {' -> '.join((*visiting, name))}")
        # Comments first: an import named in a comment is no import.
        body = _without_comments(name, sources[name])
        if name.endswith(".js"):
            body = self._rewrite_imports(name, body, sources, (*visiting, name))
        digest = hashlib.sha256(body).hexdigest()[:12]
        media = _media_type(Path(name))
        packed = gzip.compress(body, 9, mtime=0) if media.startswith(_COMPRESSIBLE) else None
        if packed is not None and len(packed) >= len(body):
            packed = None
        asset = Asset(name, _hashed(name, digest), body, packed, media, f'"{digest}"')
        self._by_name[name] = asset
        self._by_hashed[asset.hashed_name] = asset
        return asset

    def _rewrite_imports(
        self, name: str, body: bytes, sources: dict[str, bytes], visiting: tuple[str, ...]
    ) -> bytes:
        folder = posixpath.dirname(name)
        static = self._imports.setdefault(name, [])

        def swap(match: re.Match[str]) -> str:
            target = posixpath.normpath(posixpath.join(folder, match.group(3)))
            if target not in sources:
                raise AssetError(f"static/{name} imports missing module {match.group(3)}")
            dep = self._add(target, sources, visiting)
            if "(" not in match.group(1):
                static.append(target)
            return f"{match.group(1)}{match.group(2)}{dep.url}{match.group(2)}"

        return _IMPORT.sub(swap, body.decode("utf-8")).encode("utf-8")

    def url(self, name: str) -> str:
        """Return the hashed URL of a static file; fail loudly on a typo."""
        try:
            return self._by_name[name].url
        except KeyError:
            raise AssetError(f"no static file named {name!r}") from None

    def preloads(self, *entries: str) -> list[str]:
        """The hashed URLs of every module the entries import, however deeply,
        without waiting for a tap: what a page names in `<link rel=modulepreload>`
        so the browser asks for them all at once, not one level of imports per
        round trip. A module loaded by `import()` is left out, with its own
        imports: it is loaded when it is needed. Deepest first. Worked out once
        for each set of entries: the graph never changes while the store lives."""
        if entries in self._preloads:
            return list(self._preloads[entries])
        seen: set[str] = set(entries)
        order: list[str] = []

        def visit(name: str) -> None:
            for target in self._imports.get(name, ()):
                if target not in seen:
                    seen.add(target)
                    visit(target)
                    order.append(target)

        for entry in entries:
            self.url(entry)  # a typo in a template fails loudly
            visit(entry)
        self._preloads[entries] = [self._by_name[name].url for name in order]
        return list(self._preloads[entries])

    def find(self, path: str) -> tuple[Asset, bool] | None:
        """Look a request path up: (asset, is_hashed_url) or None."""
        if path in self._by_hashed:
            return self._by_hashed[path], True
        if path in self._by_name:
            return self._by_name[path], False
        return None

    def __iter__(self) -> Iterator[Asset]:
        return iter(self._by_name.values())

    def fingerprint(self) -> str:
        """One digest over every asset, for versioning whatever depends on them."""
        joined = "\n".join(sorted(a.hashed_name for a in self._by_name.values()))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]
