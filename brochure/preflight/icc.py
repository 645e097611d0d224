"""The two facts a preflight needs from an ICC profile: its description and colour space.

Input: the bytes of an ICC profile (version 2 or 4). Output: a :class:`Profile`.
Reads the 128-byte header and the tag table only; never raises on bad data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["Profile", "read_profile"]

_SPACES = {b"CMYK": "CMYK", b"RGB ": "RGB", b"GRAY": "Gray", b"Lab ": "Lab"}


@dataclass(frozen=True)
class Profile:
    """What an output intent's profile describes."""

    description: str
    """The profile's own name, such as ``Coated FOGRA39 (ISO 12647-2:2004)``; empty if none."""
    colour_space: str
    """``CMYK``, ``RGB``, ``Gray``, ``Lab``, or the raw four-letter signature."""


def read_profile(data: bytes) -> Profile:
    """The description and data colour space of the profile in ``data``."""
    if len(data) < 132:
        return Profile("", "unreadable")
    signature = data[16:20]
    space = _SPACES.get(signature, signature.decode("latin-1").strip())
    return Profile(_description(data), space)


def _description(data: bytes) -> str:
    (count,) = struct.unpack_from(">I", data, 128)
    for index in range(min(count, 200)):
        at = 132 + 12 * index
        if at + 12 > len(data):
            break
        tag, offset, size = struct.unpack_from(">4sII", data, at)
        if tag == b"desc":
            return _text(data[offset : offset + size])
    return ""


def _text(tag: bytes) -> str:
    kind = tag[:4]
    if kind == b"desc" and len(tag) >= 12:  # version 2: an ASCII count and string
        (length,) = struct.unpack_from(">I", tag, 8)
        return tag[12 : 12 + length].split(b"\0")[0].decode("latin-1").strip()
    if kind == b"mluc" and len(tag) >= 28:  # version 4: the first of many UTF-16 records
        length, offset = struct.unpack_from(">II", tag, 20)
        return tag[offset : offset + length].decode("utf-16-be", errors="replace").strip("\0 ")
    return ""
