"""Telegram's HTML parse mode as the fake models it: visible text, entity offsets in UTF-16
code units, and the errors for markup Telegram refuses."""

from __future__ import annotations

import pytest

from playground.fake_html import parse_html
from playground.fake_types import ApiError


def test_nested_tags_and_links() -> None:
    text, entities = parse_html(
        '<b>Lie <i>down</i></b> and <a href="https://x.test/a?b=1">read</a>'
    )
    assert text == "Lie down and read"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 8},
        {"type": "italic", "offset": 4, "length": 4},
        {"type": "text_link", "offset": 13, "length": 4, "url": "https://x.test/a?b=1"},
    ]


def test_offsets_count_utf16_units_like_the_bot_api() -> None:
    text, entities = parse_html("🧘 <u>30 s</u>")
    assert text == "🧘 30 s"
    # The emoji is one character but two UTF-16 code units.
    assert entities == [{"type": "underline", "offset": 3, "length": 4}]


def test_entities_decoded_and_unknown_ones_kept_literally() -> None:
    text, _ = parse_html("a &lt;b&gt; &amp; &quot;c&quot; &#128170; &#x2713; &nbsp; AT&T")
    assert text == 'a <b> & "c" 💪 ✓ &nbsp; AT&T'


def test_spoilers_code_and_blockquote() -> None:
    text, entities = parse_html(
        '<tg-spoiler>x</tg-spoiler><span class="tg-spoiler">y</span>'
        '<pre><code class="language-python">z</code></pre><blockquote expandable>q</blockquote>'
    )
    assert text == "xyzq"
    assert [e["type"] for e in entities] == ["spoiler", "spoiler", "pre", "expandable_blockquote"]
    assert entities[2]["language"] == "python"


def test_tags_are_case_insensitive() -> None:
    assert parse_html("<B>x</B>") == ("x", [{"type": "bold", "offset": 0, "length": 1}])


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("é<p>", 'Unsupported start tag "p" at byte offset 2'),
    ],
)
def test_refused_markup(html: str, reason: str) -> None:
    with pytest.raises(ApiError) as error:
        parse_html(html)
    assert (error.value.code, error.value.description) == (
        400,
        f"Bad Request: can't parse entities: {reason}",
    )
