"""Write coach/locale/limber.pot: every English text of coach.texts, of routine.toml and of
the pictures (scripts/draw_figures.py's LABELS).

Our texts are constants, not `_()` calls, so pybabel's own extraction finds nothing; this
script is the extractor (`make translations-extract`), and `pybabel update` merges its
template into each language's .po. A one-side routine template becomes two entries, with
the side as the context: a translation is a whole text per side (see coach.routine.fill).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coach import i18n, texts
from coach.routine import SIDES, Routine, load_routine

FIGURES_SCRIPT = Path(__file__).resolve().parent / "draw_figures.py"
POT = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
BABEL_NAMES = frozenset({"WEEKDAY_SHORT", "WEEKDAY_LONG", "SETTINGS_WEEKDAY_SHORT", "MONTH_SHORT"})

# (msgid, context, where) — msgid is a str, or a (singular, plural) pair
Entry = tuple[str | tuple[str, str], str | None, str]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        if texts.has_words(value):
            yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def text_entries() -> Iterator[Entry]:
    """The msgids coach.texts asks the catalog for (names that Babel's data covers left out)."""
    for name in texts.names():
        if name in texts.UNTRANSLATED or name in BABEL_NAMES:
            continue
        value = texts.english(name)
        if name == "COMMANDS":
            assert isinstance(value, tuple)
            value = tuple(about for _, about in value)
        for text in _strings(value):
            yield text, None, f"coach/texts.py:{name}"
    for singular, plural in texts.PLURALS:
        yield (singular, plural), None, "coach/texts.py:PLURALS"


def routine_entries(routine: Routine) -> Iterator[Entry]:
    where = "coach/content/routine.toml"
    for field in ("intro", "breathing", "safety", "credit"):
        yield getattr(routine, field), None, f"{where}:{field}"
    for stretch in routine.stretches:
        for field in ("title", "short_title", "summary"):
            yield getattr(stretch, field), None, f"{where}:{stretch.key}.{field}"
        templates = [
            ("side_label", stretch.side_label_template),
            ("side_note", stretch.side_note_template),
            ("between_sets", stretch.between_sets_template),
        ]
        for step in stretch.screens:
            yield step.title, None, f"{where}:{stretch.key}.{step.key}.title"
            templates.append((f"{step.key}.text", step.text))
        for field, template in templates:
            for side in SIDES:
                yield template, side, f"{where}:{stretch.key}.{field}"


def figure_entries() -> Iterator[Entry]:
    """The pictures' words; a label naming a side is two entries, as a routine template is."""
    spec = importlib.util.spec_from_file_location("draw_figures", FIGURES_SCRIPT)
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = figures  # dataclasses look their module up while being built
    spec.loader.exec_module(figures)
    for label_id, template in figures.LABELS.items():
        where = f"scripts/draw_figures.py:{label_id}"
        for side in SIDES if figures.is_sided(template) else (None,):
            yield template, side, where


def build_catalog() -> Catalog:
    catalog = Catalog(
        domain=i18n.DOMAIN, project="Limber", version="0.1.0", charset="utf-8", fuzzy=False
    )
    entries = (*text_entries(), *routine_entries(load_routine()), *figure_entries())
    for msgid, context, where in entries:
        path, _, name = where.partition(":")
        found = catalog.get(msgid, context=context)
        if found is None:
            catalog.add(msgid, locations=[(path, 0)], auto_comments=[name], context=context)
        elif name not in found.auto_comments:
            found.auto_comments.append(name)
    return catalog


def main() -> None:
    POT.parent.mkdir(parents=True, exist_ok=True)
    with POT.open("wb") as out:
        write_po(out, build_catalog(), width=100, omit_header=False, no_location=True)
    print(f"wrote {POT.relative_to(Path.cwd()) if POT.is_relative_to(Path.cwd()) else POT}")


if __name__ == "__main__":
    main()
