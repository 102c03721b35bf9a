"""Our languages and their gettext catalogs (Babel manages them), looked up by name.

Nothing here knows which language an update speaks: the turn (handlers.turn) or a job names
it and asks for that language's `coach.texts.Texts`, which reads its catalog from here.
Catalogs are `locale/<lang>/LC_MESSAGES/limber.po`; their `.mo` is compiled on first use when
missing or older than the `.po` (`make translations` compiles them too).
"""

from __future__ import annotations

import contextlib
import functools
import gettext as gettext_module
import io
import os
import tempfile
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


def known(language: str | None) -> str:
    """`language` when it is one of ours, else English."""
    return language if language in NAMES else DEFAULT


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


@functools.cache
def locale(language: str) -> Locale:
    return Locale.parse(known(language))


def short_date(day: date, language: str) -> str:
    """A day as a caption says it: "Wed 2 Dec", "Mi., 2. Dez.", "ср, 2 дек."."""
    if known(language) == DEFAULT:  # the English form the texts were written around
        return format_date(day, "EEE d MMM", locale=locale(language))
    return format_skeleton("MMMEd", day, locale=locale(language))


def weekday_names(language: str, width: str) -> tuple[str, ...]:
    """Monday first: "abbreviated" ("Mon"), "wide" ("Monday") or "short" ("Mo"), stand-alone
    (capitalised, for a button or the start of a line)."""
    days = locale(language).days["stand-alone"][width]
    return tuple(days[i].capitalize() for i in range(7))


def month_names(language: str, width: str) -> tuple[str, ...]:
    months = locale(language).months["stand-alone"][width]
    return tuple(months[i].capitalize() for i in range(1, 13))


def catalog_path(language: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@functools.cache
def catalog(language: str) -> gettext_module.NullTranslations:
    """The gettext catalog of `language` (English, or an unknown one: no translations)."""
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
        messages = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, messages, use_fuzzy=False)
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
