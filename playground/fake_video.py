"""What Telegram reads from an uploaded animation: its width, height and duration, from an MP4's
`mvhd` and `tkhd` boxes (read here, no video library) or from a GIF's frames (Pillow)."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# Boxes that only hold other boxes, on the way from the file to a track's header.
_CONTAINERS = {b"moov", b"trak"}


@dataclass(frozen=True)
class VideoInfo:
    """What a file turned out to be; a size or duration the file does not tell is None."""

    mime_type: str
    width: int | None = None
    height: int | None = None
    duration: int | None = None  # whole seconds, as Telegram gives them


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, bytes]]:
    """(type, payload) of every box in data[start:end] and, depth first, inside containers."""
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1 and offset + 16 <= end:  # a 64-bit size follows the type
            size, header = struct.unpack_from(">Q", data, offset + 8)[0], 16
        elif size == 0:  # the box runs to the end of the file
            size = end - offset
        if size < header or offset + size > end:
            return  # truncated or not an MP4 after all: stop at what was readable
        if kind in _CONTAINERS:
            yield from _boxes(data, offset + header, offset + size)
        else:
            yield kind, data[offset + header : offset + size]
        offset += size


def _mp4(data: bytes) -> VideoInfo:
    width = height = duration = None
    for kind, box in _boxes(data, 0, len(data)):
        version = box[0] if box else 0
        if kind == b"mvhd" and len(box) >= (32 if version == 1 else 20):
            # v0: version+flags, creation, modification (4 bytes each), timescale, duration (4)
            # v1: the times and the duration are 8 bytes each
            if version == 1:
                timescale, length = struct.unpack_from(">IQ", box, 20)
            else:
                timescale, length = struct.unpack_from(">II", box, 12)
            if timescale:
                duration = round(length / timescale)
        elif kind == b"tkhd" and width is None:
            # Width and height (16.16 fixed point) end the box; an audio track has 0 × 0.
            at = 88 if version == 1 else 76
            if len(box) >= at + 8:
                w, h = struct.unpack_from(">II", box, at)
                if w and h:
                    width, height = w >> 16, h >> 16
    return VideoInfo("video/mp4", width, height, duration)


def _gif(data: bytes) -> VideoInfo | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "GIF":
                return None
            width, height = image.size
            milliseconds = 0
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                milliseconds += int(image.info.get("duration") or 0)
    except (UnidentifiedImageError, OSError, ValueError, EOFError):
        return None
    return VideoInfo("image/gif", width, height, round(milliseconds / 1000))


def probe(data: bytes) -> VideoInfo | None:
    """An MP4 (its first box is `ftyp`) or a GIF; None for anything else."""
    if data[4:8] == b"ftyp":
        return _mp4(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif(data)
    return None
