"""Languages: which ones the app speaks, their gettext catalogs, and choosing one.

English is the source language: the templates and the ES modules are written in
it. Every other language is a set of files, found at start-up:

- `server/i18n/locales/<lang>/LC_MESSAGES/messages.po`: the page strings (Babel);
- `content/<lang>/`: the routine and its exercises;
- `web/static/i18n/<lang>.json`: the strings of the ES modules.

The catalogs are compiled in memory at start-up (no .mo files to commit), and a
catalog with an untranslated or fuzzy entry stops start-up with its name.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SOURCE = "en"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


class CatalogError(Exception):
    """A catalog that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Language:
    """One language the app speaks."""

    code: str  # "es"
    name: str  # its own name for itself: "Español"
    translations: NullTranslations

    @property
    def prefix(self) -> str:
        """The path prefix of its pages: "" for English, "/es" for Spanish."""
        return "" if self.code == SOURCE else f"/{self.code}"

    def url(self, path: str) -> str:
        """A page's address in this language: "/workout" -> "/es/workout"."""
        if not self.prefix:
            return path
        return f"{self.prefix}/" if path == "/" else f"{self.prefix}{path}"


def available(locales_dir: Path = LOCALES_DIR) -> tuple[str, ...]:
    """English, then every language with a catalog, in code order."""
    found = sorted(p.parent.parent.name for p in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE, *found)


def native_name(code: str) -> str:
    """A language's name in itself, as a picker shows it: "Deutsch", "Español"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def compile_catalog(path: Path) -> Translations:
    """Read a .po file, check every entry is translated, and compile it in memory."""
    try:
        with path.open("rb") as file:
            catalog = read_po(file, locale=path.parent.parent.name)
    except FileNotFoundError:
        raise CatalogError(f"{path}: the file is missing") from None
    except Exception as exc:  # Babel raises several kinds for a broken file
        raise CatalogError(f"{path}: cannot be read ({exc})") from None
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            raise CatalogError(f"{path}: msgid {message.id!r} is not translated")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def load_languages(locales_dir: Path = LOCALES_DIR) -> dict[str, Language]:
    """Every language with its compiled catalog; English translates to itself."""
    languages = {SOURCE: Language(SOURCE, native_name(SOURCE), NullTranslations())}
    for code in available(locales_dir)[1:]:
        path = locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        languages[code] = Language(code, native_name(code), compile_catalog(path))
    return languages


_RANGE = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*$")


def negotiate(header: str, codes: tuple[str, ...] | list[str]) -> str | None:
    """The language of `codes` an Accept-Language header prefers most, or None.

    "de-CH, de;q=0.9, en;q=0.5" -> "de". A tag matches by its primary language.
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.partition(";")
        match = _RANGE.match(tag)
        if not match:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, match.group(1).lower()))
    for _, _, code in sorted(ranked):
        if code in codes:
            return code
    return None
