"""Files the bot uploaded: photos checked with Pillow (real sizes), animations (MP4 or GIF, sizes
read from the file), documents, stickers; each reachable by file_id (to re-send, getFile) and
by file_path (to download)."""

from __future__ import annotations

import io
import mimetypes
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from playground.fake_types import JSON, bad_request
from playground.fake_video import probe

# Telegram makes a small preview of every photo; 90 px is its smallest size class ("s").
THUMB_SIDE = 90
_PREFIX = {"photo": "AgAC", "document": "BQAC", "sticker": "CAAC", "animation": "CgAC"}
_FOLDER = {
    "photo": "photos",
    "document": "documents",
    "sticker": "stickers",
    "animation": "animations",
}


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    mime_type: str
    file_path: str
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None

    def photo_size(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
            "file_size": len(self.data),
        }

    def document(self) -> JSON:
        doc: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
        }
        if self.file_name:
            doc["file_name"] = self.file_name
        return doc

    def animation(self) -> JSON:
        """The Animation object; its message also carries the same file as a Document."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width or 0,
            "height": self.height or 0,
            "duration": self.duration or 0,
            **{k: v for k, v in self.document().items() if k not in ("file_id", "file_unique_id")},
        }

    def file(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """Every file by file_id; a photo's sizes are kept together so re-sending any of them
    shows the same photo again."""

    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._photo_sizes: dict[str, list[StoredFile]] = {}
        self._count = 0

    def get(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def _store(self, kind: str, data: bytes, mime_type: str, **extra: object) -> StoredFile:
        self._count += 1
        extension = mimetypes.guess_extension(mime_type) or ".bin"
        stored = StoredFile(
            file_id=f"{_PREFIX[kind]}{self._count:08d}-fake-file-id",
            file_unique_id=f"AQAD{self._count:08d}",
            kind=kind,
            data=data,
            mime_type=mime_type,
            file_path=f"{_FOLDER[kind]}/file_{self._count}{extension}",
            **extra,  # type: ignore[arg-type]
        )
        self._files[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def add_photo(self, data: bytes) -> list[JSON]:
        """Store an uploaded photo; 400 IMAGE_PROCESS_FAILED unless it is a real image."""
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                width, height = image.size
                mime = Image.MIME.get(image.format or "", "image/jpeg")
                thumb = image.convert("RGB")
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise bad_request("IMAGE_PROCESS_FAILED") from exc
        sizes: list[StoredFile] = []
        if max(width, height) > THUMB_SIDE:
            thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buffer = io.BytesIO()
            thumb.save(buffer, "JPEG")
            sizes.append(
                self._store(
                    "photo", buffer.getvalue(), "image/jpeg", width=thumb.width, height=thumb.height
                )
            )
        sizes.append(self._store("photo", data, mime, width=width, height=height))
        for size in sizes:
            self._photo_sizes[size.file_id] = sizes
        return [size.photo_size() for size in sizes]

    def photo_sizes(self, file_id: str) -> list[JSON] | None:
        sizes = self._photo_sizes.get(file_id)
        return [size.photo_size() for size in sizes] if sizes else None

    def add_document(self, data: bytes, file_name: str | None, mime_type: str | None) -> JSON:
        guessed = mimetypes.guess_type(file_name)[0] if file_name else None
        mime = mime_type or guessed or "application/octet-stream"
        return self._store("document", data, mime, file_name=file_name).document()

    def add_animation(
        self,
        data: bytes,
        file_name: str | None,
        *,
        width: object = None,
        height: object = None,
        duration: object = None,
    ) -> StoredFile | None:
        """Store an uploaded MP4 or GIF as an animation: width, height and duration as the file
        tells them, else as the request gave them. None if the data is neither (Telegram then
        sends the file as a plain document)."""
        info = probe(data)
        if info is None:
            return None
        return self._store(
            "animation",
            data,
            info.mime_type,
            file_name=file_name,
            width=info.width or _whole(width),
            height=info.height or _whole(height),
            duration=info.duration if info.duration is not None else _whole(duration),
        )

    def add_sticker(self) -> JSON:
        """A sticker a user sends: a tiny real WebP, so it can be downloaded like any file."""
        buffer = io.BytesIO()
        Image.new("RGBA", (64, 64), (255, 200, 0, 255)).save(buffer, "WEBP")
        stored = self._store("sticker", buffer.getvalue(), "image/webp", width=64, height=64)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 64,
            "height": 64,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
            "file_size": len(stored.data),
        }


def _whole(value: object) -> int | None:
    """A width, height or duration parameter as an int (a form field arrives as a string)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
