"""Writing files so that a failure never leaves a half-written file over a good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import FinishError, Location, Problem

__all__ = ["write_atomic"]


def write_atomic(files: dict[Path, bytes]) -> None:
    """Write every file, each to a temporary name first, then rename them all into place.

    If any write fails, no file is replaced and the temporary files are removed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, 0o644)
        for staged_path, path in staged:
            os.replace(staged_path, path)
    except OSError as exc:
        for staged_path, _ in staged:
            with contextlib.suppress(OSError):
                staged_path.unlink()
        where = Location(str(exc.filename)) if exc.filename else None
        raise FinishError(Problem(f"cannot write output: {exc.strerror}", where)) from None
