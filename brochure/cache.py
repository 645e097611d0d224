"""A per-user cache of work that depends only on files that rarely change.

A cold build spends much of its time redoing the same work for every run:
parsing the font files, reading the hyphenation patterns, compiling the
templates, deflating the ICC profile. Each result is kept here, keyed by what
it was made from (file path, size and modification time, and the versions of
brochure, Python and the library involved), so a fresh process can load it
instead.

The cache is only ever an optimisation: a missing, stale, corrupt or
unwritable entry means the work is done again, never a different result.

Where it lives: ``$BROCHURE_CACHE_DIR`` if set (an empty value or ``off``
turns the cache off), else ``$XDG_CACHE_HOME/brochure``, else
``~/.cache/brochure``. Entries are pickles, so the folder must be private:
``brochure`` creates it with mode 0700 and uses no folder that another user
could write to (see :func:`folder`). Deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import __version__

__all__ = ["directory", "fetch", "folder"]

T = TypeVar("T")

_ENV = "BROCHURE_CACHE_DIR"


def directory() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    value = os.environ.get(_ENV)
    if value is not None:
        return None if value.strip() in ("", "off") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "brochure"


def folder(kind: str) -> Path | None:
    """The cache's folder for ``kind``, made if need be; None when off or unusable.

    Entries are pickles (and Jinja2's marshalled bytecode), which run code when
    read, so the cache is only used where nobody else can write: the folder and
    the one above it must belong to this user, be real folders (not links), and
    be writable by no group or other user. Anywhere else it is turned off.
    """
    root = directory()
    if root is None:
        return None
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        (root / kind).mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not (_private(root) and _private(root / kind)):
        return None
    return root / kind


def _private(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    owner = getattr(os, "getuid", None)
    return (
        stat.S_ISDIR(info.st_mode)
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and (owner is None or info.st_uid == owner())
    )


def fetch(kind: str, key: object, compute: Callable[[], T]) -> T:
    """The cached value of ``kind`` for ``key``, computed and stored if there is none.

    ``key`` must have a stable ``repr`` and name everything the value depends
    on beyond brochure's and Python's versions, which are added here.
    """
    where = folder(kind)
    if where is None:
        return compute()
    full = repr((kind, key, __version__, sys.version_info[:3], sys.implementation.cache_tag))
    path = where / (hashlib.sha1(full.encode()).hexdigest() + ".pickle")
    with contextlib.suppress(Exception):  # anything wrong with an entry means: redo the work
        found = _load(path.read_bytes())
        if isinstance(found, tuple) and len(found) == 2 and found[0] == full:
            return found[1]  # type: ignore[no-any-return]
    value = compute()
    with contextlib.suppress(Exception):
        _store(path, pickle.dumps((full, value), protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _load(data: bytes) -> object:
    """Unpickle with the cyclic garbage collector paused: the many new objects would
    otherwise start full collections mid-load (18 ms instead of 3 ms for the
    hyphenation patterns, in a process that has imported ReportLab and pypdf)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _store(path: Path, data: bytes) -> None:
    """Write an entry atomically; a cache that cannot be written is simply not used."""
    with contextlib.suppress(OSError):
        fd, name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(name, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(name)
