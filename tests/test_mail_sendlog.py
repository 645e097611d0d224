"""The send log: who has been sent which brochure, kept across runs, one run at a time."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from brochure.errors import MailError
from brochure.mail.sendlog import SendLog, sent_before


def test_sent_addresses_per_brochure(tmp_path: Path) -> None:
    """Only 'sent' rows count, per brochure digest, addresses compared lower-cased."""
    with SendLog(tmp_path / "log.sqlite") as log:
        log.record("Ann@Example.org", "d1", "sent", "<1@x>")
        log.record("bob@example.org", "d1", "failed", "<2@x>", "421 busy")
        log.record("carol@example.org", "d1", "permanent", "<3@x>", "550 no such user")
        log.record("dan@example.org", "d2", "sent", "<4@x>")
        assert log.sent("d1") == {"ann@example.org"}
        assert log.sent("d2") == {"dan@example.org"}


def test_records_survive_the_run(tmp_path: Path) -> None:
    """What one run records, the next run (or a dry run) reads back."""
    path = tmp_path / "log.sqlite"
    with SendLog(path) as log:
        log.record("ann@example.org", "d1", "failed", "<1@x>", "421 busy")
        log.record("ann@example.org", "d1", "sent", "<1@x>")
    assert sent_before(path, "d1") == {"ann@example.org"}
    with SendLog(path) as log:
        assert log.rows() == [("ann@example.org", "d1", "sent")]
    with contextlib.closing(sqlite3.connect(path)) as db:
        attempts, sent_at = db.execute("SELECT attempts, sent_at FROM deliveries").fetchone()
    assert attempts == 2 and sent_at


def test_one_run_at_a_time(tmp_path: Path) -> None:
    """A second run on the same log is refused while the first holds it, and allowed after."""
    path = tmp_path / "log.sqlite"
    with SendLog(path), pytest.raises(MailError, match="another 'brochure email --send'"):
        SendLog(path)
    with SendLog(path) as log:
        assert log.rows() == []


def test_no_log_means_nobody_sent(tmp_path: Path) -> None:
    """A dry run before any send finds nobody sent, and creates no log."""
    assert sent_before(tmp_path / "log.sqlite", "d1") == set()
    assert not (tmp_path / "log.sqlite").exists()
