"""A new brochure to start from: ``brochure new DIR``.

Input: a folder. Output: the starter files copied into it, unchanged, from
the package's ``starter/`` folder: ``content/brochure.yaml`` (a short example
brochure with a page for each layout the package ships), ``content/theme.yaml``
(a commented theme override) and ``README.md``. The new folder builds on its
own: layouts and fonts come from the package until a ``layouts/`` or
``fonts/`` folder beside ``content/`` overrides them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import BrochureError, Location, Problem
from .project import PACKAGE_DIR

__all__ = ["STARTER_DIR", "STARTER_FILES", "new_brochure"]

STARTER_DIR = PACKAGE_DIR / "starter"
"""The starter files, laid out as they are copied."""

STARTER_FILES = ("README.md", "content/brochure.yaml", "content/theme.yaml")
"""What :func:`new_brochure` copies, relative to :data:`STARTER_DIR` and to the new folder."""


def new_brochure(target: Path) -> list[Path]:
    """Copy the starter brochure into ``target``; return the files written.

    ``target`` may exist. Its ``content/`` folder must be missing or empty: a
    brochure already there is never overwritten. A ``README.md`` already in
    ``target`` is left as it is (and not returned).
    """
    _check_free(target)
    written = []
    try:
        for name in STARTER_FILES:
            destination = target / name
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STARTER_DIR / name, destination)
            written.append(destination)
    except OSError as exc:
        where = Location(str(exc.filename)) if exc.filename else None
        message = f"cannot write the new brochure: {exc.strerror}"
        raise BrochureError(Problem(message, where)) from None
    return written


def _check_free(target: Path) -> None:
    """Raise unless ``target`` can take a new brochure without overwriting one."""
    content = target / "content"
    if target.exists() and not target.is_dir():
        message = "expected a folder for the new brochure (got a file)"
        raise BrochureError(Problem(message, Location(str(target))))
    if content.exists() and not (content.is_dir() and not any(content.iterdir())):
        message = (
            "a brochure is already here: content/ is not empty"
            " (choose another folder, or empty content/ first)"
        )
        raise BrochureError(Problem(message, Location(str(content))))
