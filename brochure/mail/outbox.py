"""The dry run's outbox: messages -> one ``.eml`` file per recipient in ``<out>/outbox/``.

Input: (address, message bytes) pairs. Output: ``<address>.eml`` files, each
written atomically (never half a message over a good one), that any mail
client opens. The outbox holds exactly the last run's messages: ``.eml``
files of recipients no longer on the list are removed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from ..output import write_atomic

__all__ = ["eml_name", "write_outbox"]

BATCH = 64
"""Messages held in memory before they are written."""
_UNSAFE = re.compile(r"[^a-z0-9@._+-]")


def eml_name(address: str) -> str:
    """The file name of ``address``'s message: the address, made safe for any file system."""
    key = address.lower()
    safe = _UNSAFE.sub("_", key).lstrip(".")
    if safe != key:  # keep two addresses that differ only in unsafe characters apart
        safe += "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{safe}.eml"


def write_outbox(folder: Path, messages: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Write each (address, message) as ``folder/<address>.eml``; return the files in order."""
    written: list[Path] = []
    batch: dict[Path, bytes] = {}
    for address, data in messages:
        path = folder / eml_name(address)
        batch[path] = data
        written.append(path)
        if len(batch) >= BATCH:
            write_atomic(batch)
            batch = {}
    write_atomic(batch)
    keep = set(written)
    for stale in folder.glob("*.eml"):
        if stale not in keep:
            stale.unlink()
    return written
