"""The send log: who has been sent which brochure, in SQLite beside the build output.

Input: one record per delivery attempt's outcome. Output: a table with one
row per (address, brochure digest): ``sent``, ``failed`` (a transient error;
tried again next run) or ``permanent`` (refused by the server; reported, and
tried again next run in case the cause was fixed). Each record is committed
(and synced, in WAL mode) before the next message goes out, so a run that
stops anywhere resumes where it stopped and sends nobody twice. One run at a
time may hold the log: a second gets a clear error instead of racing the first.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ..errors import Location, MailError, Problem

__all__ = ["SENDLOG_NAME", "SendLog", "Status", "sent_before"]

SENDLOG_NAME = "sendlog.sqlite"
"""The log's file name, in the build output folder."""
Status = Literal["sent", "failed", "permanent"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    address    TEXT NOT NULL,     -- lower-cased
    digest     TEXT NOT NULL,     -- the brochure's content digest
    status     TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'permanent')),
    message_id TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',  -- the server's last reply, for failures
    attempts   INTEGER NOT NULL DEFAULT 1,  -- runs that tried this address
    first_at   TEXT NOT NULL,     -- UTC, ISO 8601
    updated_at TEXT NOT NULL,
    sent_at    TEXT,
    PRIMARY KEY (address, digest)
);
"""


class SendLog:
    """An open send log, locked for this run; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        """The SQLite file."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MailError(
                Problem(
                    f"cannot make the send log's folder: {exc.strerror}", Location(str(path.parent))
                )
            ) from None
        self._lock = _Lock(path.with_name(path.name + ".lock"))
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            self._db.execute("PRAGMA user_version=1")
        except sqlite3.Error as exc:
            self._lock.release()
            raise MailError(
                Problem(f"cannot open the send log: {exc}", Location(str(path)))
            ) from None

    def __enter__(self) -> SendLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database and let another run have the log."""
        self._db.close()
        self._lock.release()

    def sent(self, digest: str) -> set[str]:
        """The (lower-cased) addresses already sent the brochure with ``digest``."""
        rows = self._db.execute(
            "SELECT address FROM deliveries WHERE digest = ? AND status = 'sent'", (digest,)
        )
        return {address for (address,) in rows}

    def record(
        self, address: str, digest: str, status: Status, message_id: str, detail: str = ""
    ) -> None:
        """Record the outcome for ``address``, committed before this returns."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self._write(address, digest, status, message_id, detail, now)
        except sqlite3.Error as exc:
            raise MailError(
                Problem(
                    f"cannot record the outcome for {address} ({status}): {exc}; stopped, as a "
                    "rerun could not know who has been sent their copy",
                    Location(str(self.path)),
                )
            ) from None

    def _write(
        self, address: str, digest: str, status: Status, message_id: str, detail: str, now: str
    ) -> None:
        self._db.execute(
            """INSERT INTO deliveries
                   (address, digest, status, message_id, detail, first_at, updated_at, sent_at)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, CASE WHEN ?3 = 'sent' THEN ?6 END)
               ON CONFLICT (address, digest) DO UPDATE SET
                   status = excluded.status, message_id = excluded.message_id,
                   detail = excluded.detail, attempts = attempts + 1,
                   updated_at = excluded.updated_at, sent_at = excluded.sent_at""",
            (address.lower(), digest, status, message_id, detail, now),
        )

    def rows(self) -> list[tuple[str, str, str]]:
        """(address, digest, status) of every row, for reports and tests."""
        return list(
            self._db.execute(
                "SELECT address, digest, status FROM deliveries ORDER BY first_at, address"
            )
        )


def sent_before(path: Path, digest: str) -> set[str]:
    """The addresses a log at ``path`` records as sent ``digest``, read-only; empty if none."""
    if not path.exists():
        return set()
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as db:
            rows = db.execute(
                "SELECT address FROM deliveries WHERE digest = ? AND status = 'sent'", (digest,)
            )
            return {address for (address,) in rows}
    except sqlite3.Error:  # a dry run only reports this; --send opens the log properly
        return set()


class _Lock:
    """An exclusive lock on a file next to the log, held while the log is open."""

    def __init__(self, path: Path) -> None:
        try:
            self._file = path.open("a")
        except OSError as exc:
            raise MailError(
                Problem(f"cannot open the send log's lock: {exc.strerror}", Location(str(path)))
            ) from None
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock, as before
            return
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise MailError(
                Problem(
                    "another 'brochure email --send' is using this send log; wait for it to finish",
                    Location(str(path)),
                )
            ) from None

    def release(self) -> None:
        self._file.close()  # closing the file drops the lock
