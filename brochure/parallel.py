"""Doing the same thing to several items at once, one process per core (fork).

Finishing the print and screen editions of a long prospectus are independent
jobs over the same laid-out pages: forked workers inherit those pages (no
copying or pickling of them) and send back only the finished bytes. Short
jobs, one core, or a platform without fork run in this process instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["map_forked"]

Item = TypeVar("Item")
Result = TypeVar("Result")

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run(index: int) -> Any:
    assert _job is not None
    function, items = _job
    return function(items[index])


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], *, worthwhile: bool
) -> list[Result]:
    """``[function(item) for item in items]``, in forked processes when ``worthwhile``.

    An exception raised by ``function`` reaches the caller whole (if several items fail,
    the caller sees one of them).
    """
    cores = os.cpu_count() or 1
    if not worthwhile or len(items) < 2 or cores < 2 or not hasattr(os, "fork"):
        return [function(item) for item in items]
    import multiprocessing

    global _job
    _job = (function, items)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(len(items), cores)) as pool:
            return pool.map(_run, range(len(items)), chunksize=1)
    finally:
        _job = None
