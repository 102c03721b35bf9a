"""Checks Telegram makes on what the bot sends: text and caption limits after HTML parsing,
keyboards (callback_data 1–64 bytes), and the files behind photo, document and animation
parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.fake_files import FileStore
from playground.fake_html import parse_html
from playground.fake_types import JSON, WRONG_FILE_ID, bad_request
from playground.fake_webapp import check_web_app_url

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64


@dataclass
class Upload:
    """One file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """A Bot API call's parameters (already decoded from JSON, form or multipart) and files."""

    def __init__(self, values: JSON, files: dict[str, Upload]) -> None:
        self.values = values
        self.files = files

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def require(self, name: str) -> Any:
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        return value

    def message_id(self) -> int:
        if self.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # inline messages are not modelled here
        value = self.get("message_id")
        if not isinstance(value, int):
            raise bad_request("message identifier is not specified")
        return value


def _formatted(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSON]]:
    if parse_mode in (None, ""):
        return text, list(entities or [])
    if str(parse_mode).lower() == "html":
        return parse_html(text)
    if str(parse_mode).lower() in ("markdown", "markdownv2"):
        return text, []  # not modelled: shown as written
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def text_content(params: Params) -> JSON:
    """`text` and `entities` of a message, as Telegram stores them after parsing."""
    text, entities = _formatted(
        str(params.get("text") or ""), params.get("parse_mode"), params.get("entities")
    )
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    content: JSON = {"text": text}
    if entities:
        content["entities"] = entities
    return content


def caption_content(caption: Any, parse_mode: Any, entities: Any) -> JSON:
    """`caption` and `caption_entities`, or {} when there is no caption."""
    if caption is None or caption == "":
        return {}
    text, parsed = _formatted(str(caption), parse_mode, entities)
    if len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    content: JSON = {"caption": text} if text else {}
    if parsed:
        content["caption_entities"] = parsed
    return content


def check_markup(markup: Any) -> JSON | None:
    """A reply_markup as the user will see it; 400 for what Telegram refuses."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for row in markup["inline_keyboard"]:
            for button in row:
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                if "callback_data" in button:
                    size = len(str(button["callback_data"]).encode())
                    if not 1 <= size <= CALLBACK_DATA_LIMIT:
                        raise bad_request("BUTTON_DATA_INVALID")
                elif "web_app" in button:
                    check_web_app_url((button["web_app"] or {}).get("url"))
                elif not any(key in button for key in ("url", "switch_inline_query", "pay")):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
        return markup
    if "keyboard" in markup:
        rows = [
            [b if isinstance(b, dict) else {"text": str(b)} for b in row]
            for row in markup["keyboard"]
        ]
        if not any(rows):
            raise bad_request("keyboard must be non-empty")
        return {**markup, "keyboard": rows}
    if markup.get("remove_keyboard") or "force_reply" in markup:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def is_inline(markup: JSON | None) -> bool:
    return bool(markup and "inline_keyboard" in markup)


def resolve_media(
    files: FileStore,
    params: Params,
    value: Any,
    kind: str,
    field: str,
    hints: JSON | None = None,
) -> JSON:
    """The message part (`photo` sizes, `document`, or `animation` with its `document`) for a
    photo, document or animation parameter.

    `value` is None (the file is the multipart part named `field`), "attach://name", or a
    file_id of an earlier upload. URLs cannot be fetched offline, so they count as unknown.
    `hints` holds an animation's width, height and duration as the request gives them, used
    when the file itself does not tell."""
    upload: Upload | None = None
    if value is None or value == "":
        upload = params.files.get(field)
    elif isinstance(value, str) and value.startswith("attach://"):
        upload = params.files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"can't find attached file {value.removeprefix('attach://')!r}")
    if upload is not None:
        if kind == "photo":
            return {"photo": files.add_photo(upload.data)}
        if kind == "animation":
            hint = hints or {}
            animation = files.add_animation(
                upload.data,
                upload.filename,
                width=hint.get("width"),
                height=hint.get("height"),
                duration=hint.get("duration"),
            )
            if animation is not None:
                return {"animation": animation.animation(), "document": animation.document()}
            # Neither MP4 nor GIF: Telegram sends the file as a plain document.
        return {"document": files.add_document(upload.data, upload.filename, upload.content_type)}
    if value is None or value == "":
        raise bad_request(f"there is no {kind} in the request")
    stored = files.get(str(value))
    if stored is None:
        raise bad_request(WRONG_FILE_ID.removeprefix("Bad Request: "))
    if kind == "photo":
        sizes = files.photo_sizes(stored.file_id)
        if sizes is None:
            raise bad_request(f"can't use file of type {stored.kind.title()} as Photo")
        return {"photo": sizes}
    if stored.kind == "photo":
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    if kind == "animation" and stored.kind == "animation":
        return {"animation": stored.animation(), "document": stored.document()}
    return {"document": stored.document()}
