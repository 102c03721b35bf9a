"""The language of the update being handled, and its gettext catalog (Babel manages them).

`CURRENT` holds the language of this task: bot.log_context sets it around each handler from
the user's stored choice, and `use(language)` sets it for anything else (a reminder to one
user). coach.texts and coach.routine read it when a text is read, so call sites never pass
a language around. Catalogs are `locale/<lang>/LC_MESSAGES/limber.po`; their `.mo` is compiled
on first use when missing or older than the `.po` (`make translations` compiles them too).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as gettext_module
import io
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "limber"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
# Each language under its own name, as the /language buttons show it.
NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "ru": "Русский",
    "de": "Deutsch",
}
LANGUAGES: tuple[str, ...] = tuple(NAMES)
TRANSLATED: tuple[str, ...] = tuple(language for language in LANGUAGES if language != DEFAULT)


class UnsettledLanguageWarning(RuntimeWarning):
    """A text was read while the handler had not yet read which language its user speaks."""


@dataclass(frozen=True)
class Unsettled:
    """The language is about to be read with the handler's first query (`unsettled`);
    `fallback` (what Telegram says the user speaks) serves a text read before that."""

    fallback: str


CURRENT: contextvars.ContextVar[str | Unsettled] = contextvars.ContextVar(
    "limber_language", default=DEFAULT
)


def current() -> str:
    language = CURRENT.get()
    if isinstance(language, str):
        return language
    # A bug in the handler (a text before its first read): loud in the tests, where warnings
    # are errors; in production the user is answered in their Telegram language.
    warnings.warn(
        "a text was read before the handler settled its user's language",
        UnsettledLanguageWarning,
        stacklevel=3,
    )
    return language.fallback


@contextmanager
def use(language: str | None) -> Iterator[str]:
    """Speak `language` (English when unknown or None) until the block ends."""
    chosen = language if language in NAMES else DEFAULT
    token = CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        CURRENT.reset(token)


@contextmanager
def unsettled(fallback: str | None) -> Iterator[None]:
    """Until the block ends, the language is unknown until `settle` names it: for a handler
    whose first query reads the user's language along with what it needs anyway."""
    token = CURRENT.set(Unsettled(fallback if fallback in NAMES else DEFAULT))
    try:
        yield
    finally:
        CURRENT.reset(token)


def settle(language: str | None) -> None:
    """Speak `language` for the rest of the enclosing `use` or `unsettled` block."""
    CURRENT.set(language if language in NAMES else DEFAULT)


@functools.lru_cache(maxsize=1024)
def negotiate(language_code: str | None) -> str:
    """Our language for Telegram's IETF `language_code`: "pt-br" → pt_BR, "es-419" → es,
    "pt" → pt_BR (our only Portuguese), anything else → English. Remembered per code:
    Babel's negotiation costs ~15 µs, and the tick asks it for every user it reminds."""
    if not language_code:
        return DEFAULT
    wanted = language_code.replace("-", "_")
    found = negotiate_locale([wanted], LANGUAGES, sep="_", aliases={})
    if found is not None:  # Babel answers in the caller's spelling ("pt_br")
        return next(lang for lang in LANGUAGES if lang.lower() == found.lower())
    base = wanted.split("_")[0].lower()  # a language we have in another region only
    return next((lang for lang in LANGUAGES if lang.split("_")[0].lower() == base), DEFAULT)


def user_language(language: str | None, language_code: str | None) -> str:
    """A user's language: their stored choice, else what Telegram says they speak."""
    return language if language in NAMES else negotiate(language_code)


def gettext(message: str) -> str:
    return _catalog(current()).gettext(message)


def pgettext(context: str, message: str) -> str:
    return _catalog(current()).pgettext(context, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(current()).ngettext(singular, plural, count)


def locale() -> Locale:
    return _locale(current())


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def short_date(day: date) -> str:
    """A day as a caption says it: "Wed 2 Dec", "Mi., 2. Dez.", "ср, 2 дек."."""
    if current() == DEFAULT:  # the English form the texts were written around
        return format_date(day, "EEE d MMM", locale=locale())
    return format_skeleton("MMMEd", day, locale=locale())


def weekday_names(width: str) -> tuple[str, ...]:
    """Monday first: "abbreviated" ("Mon"), "wide" ("Monday") or "short" ("Mo"), stand-alone
    (capitalised, for a button or the start of a line)."""
    days = locale().days["stand-alone"][width]
    return tuple(_capitalise(days[i]) for i in range(7))


def month_names(width: str) -> tuple[str, ...]:
    months = locale().months["stand-alone"][width]
    return tuple(_capitalise(months[i]) for i in range(1, 13))


def _capitalise(word: str) -> str:
    return word.capitalize()  # "LU" (Spanish "short") → "Lu", "понедельник" → "Понедельник"


def catalog_path(language: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@functools.cache
def _catalog(language: str) -> gettext_module.NullTranslations:
    if language == DEFAULT or language not in NAMES:
        return gettext_module.NullTranslations()
    po, mo = catalog_path(language), catalog_path(language, ".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:
        data = compile_po(po, language)
        with contextlib.suppress(OSError):  # a read-only install compiles in memory each start
            _write_atomically(mo, data)
    return gettext_module.GNUTranslations(io.BytesIO(data))


def compile_po(po: Path, language: str) -> bytes:
    """The `.mo` bytes of a `.po` catalog (fuzzy entries left out, as pybabel compile does)."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    # A temporary name, then a rename: test processes compiling at once each see a whole file.
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
