"""Telegram's HTML parse mode: turns marked-up text into plain text plus entities, rejecting
what Telegram rejects (unsupported tags, unmatched or unclosed tags) with the same wording."""

from __future__ import annotations

import re
from typing import Any

from playground.fake_types import ApiError, bad_request

# Tag → entity type; span and blockquote are special-cased below.
_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character of the HTML entity at pos and the index after it, or None (literal '&')."""
    match = _ENTITY_RE.match(text, pos)
    if not match:
        return None
    name = match.group(1)
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        if not 0 < code < 0x110000:
            return None
        return chr(code), match.end()
    if name in _NAMED:
        return _NAMED[name], match.end()
    return None


def _start_tag(
    text: str, pos: int, byte_offset: int
) -> tuple[str, dict[str, str], int]:  # name, attributes, index after '>'
    end = pos + 1
    while end < len(text) and not text[end].isspace() and text[end] not in ">":
        end += 1
    if end >= len(text):
        raise _error(f"Unclosed start tag at byte offset {byte_offset}")
    name = text[pos + 1 : end].lower()
    if name not in _ENTITY_OF_TAG:
        raise _error(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
    attributes: dict[str, str] = {}
    while True:
        while end < len(text) and text[end].isspace():
            end += 1
        if end >= len(text):
            raise _error(f"Unclosed start tag at byte offset {byte_offset}")
        if text[end] == ">":
            return name, attributes, end + 1
        match = _ATTR_RE.match(text, end)
        if not match or match.end() == end:
            raise _error(f'Expected equal sign in declaration of an attribute of the tag "{name}"')
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attributes[match.group(1).lower()] = value
        end = match.end()


def _entity(name: str, attributes: dict[str, str], offset: int, length: int) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _ENTITY_OF_TAG[name], "offset": offset, "length": length}
    if name == "a":
        entity["url"] = attributes.get("href", "")
    if name == "code" and attributes.get("class", "").startswith("language-"):
        entity["language"] = attributes["class"].removeprefix("language-")
    if name == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    return entity


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities (offsets in UTF-16 code units, as the Bot API counts them)."""
    plain: list[str] = []
    plain_len = 0  # UTF-16 length of what is in `plain`
    stack: list[tuple[str, dict[str, str], int]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            decoded = _decode_entity(text, i)
            piece, i = decoded if decoded else ("&", i + 1)
        elif char == "<":
            byte_offset = len(text[:i].encode())
            if i + 1 < len(text) and text[i + 1] == "/":
                i = _end_tag(text, i, byte_offset, stack, entities, plain_len)
            else:
                name, attributes, i = _start_tag(text, i, byte_offset)
                if name == "span" and attributes.get("class") != "tg-spoiler":
                    raise _error('Tag "span" must have class "tg-spoiler"')
                stack.append((name, attributes, plain_len))
            continue
        else:
            piece, i = char, i + 1
        plain.append(piece)
        plain_len += _utf16_len(piece)
    if stack:
        raise _error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


def _end_tag(
    text: str,
    pos: int,
    byte_offset: int,
    stack: list[tuple[str, dict[str, str], int]],
    entities: list[dict[str, Any]],
    plain_len: int,
) -> int:
    if not stack:
        raise _error(f"Unexpected end tag at byte offset {byte_offset}")
    close = text.find(">", pos)
    if close < 0:
        raise _error(f"Unclosed end tag at byte offset {byte_offset}")
    name = text[pos + 2 : close].strip().lower()
    open_name, attributes, start = stack.pop()
    if name != open_name:
        raise _error(
            f'Unmatched end tag at byte offset {byte_offset}, expected "</{open_name}>", '
            f'found "</{name}>"'
        )
    if plain_len > start:  # empty entities are dropped, as Telegram does
        entity = _entity(open_name, attributes, start, plain_len - start)
        inner = entities[-1] if entities else None
        # <pre><code class="language-x"> is one pre entity with a language.
        if (
            open_name == "pre"
            and inner is not None
            and inner["type"] == "code"
            and "language" in inner
            and (inner["offset"], inner["length"]) == (entity["offset"], entity["length"])
        ):
            entity["language"] = entities.pop()["language"]
        entities.append(entity)
    return close + 1
