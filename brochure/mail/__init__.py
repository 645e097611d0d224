"""Email and distribution: a recipient list -> a personalised copy of the brochure each.

The steps, each a module (:mod:`.mailing` runs 1 to 6):

1. :mod:`.recipients` reads and checks the CSV list (every row, with line numbers);
2. :mod:`.templates` renders each recipient's subject, text and HTML (Jinja2, sandboxed);
3. :mod:`.cover` lays out "Prepared for NAME, ORGANISATION" and draws the overlays;
4. the screen edition is built once (:func:`brochure.build.build`);
5. :mod:`.stamp` adds each overlay to page 1 of the built PDF as an incremental
   update, tagged for a tagged PDF (:mod:`.tagged`);
6. :mod:`.message` composes each message, PDF attached;
7. without ``send``, :mod:`.outbox` writes one ``.eml`` per recipient to ``<out>/outbox/``;
   with it, :mod:`.smtp` delivers them and :mod:`.sendlog` records every delivery.

Steps 1 to 3 check everything before anything is built, written or sent;
:func:`email_command` runs them all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..build import Output
from ..errors import Location, MailError, Problem
from .mailing import Mailing
from .message import Sender
from .outbox import write_outbox
from .recipients import Recipient
from .sendlog import SENDLOG_NAME, SendLog, sent_before
from .smtp import Credentials, Mailer, Server, Unavailable, parse_rate

__all__ = ["SENDER_VARIABLE", "MailSummary", "Progress", "email_command", "parse_rate"]

SENDER_VARIABLE = "BROCHURE_MAIL_FROM"
"""The environment variable that names the sender when ``--from`` does not."""
OUTBOX = "outbox"
"""The dry run's folder, in the build output folder."""

Progress = Callable[[str], None]
"""Told one line for each step and each recipient."""


@dataclass(frozen=True)
class MailSummary:
    """What one run did."""

    edition: Output
    """The built screen edition that was personalised."""
    digest: str
    """The brochure's content digest: the send log's key, with the address."""
    recipients: int
    """Rows on the list."""
    already_sent: int
    """Recipients the send log records as sent this brochure before (skipped by a send)."""
    sent: int = 0
    """Messages delivered by this run."""
    written: tuple[Path, ...] = ()
    """The dry run's ``.eml`` files."""
    failures: tuple[Problem, ...] = ()
    """One per recipient the server refused for good, at their line of the list."""
    log: Path | None = None
    """The send log, when sending."""

    @property
    def ok(self) -> bool:
        """Whether every recipient has now been sent (or, in a dry run, written) their copy."""
        return not self.failures


def email_command(
    content_dir: Path,
    out_dir: Path,
    recipients: Path,
    *,
    smtp: str | None = None,
    send: bool = False,
    ssl: bool = False,
    rate: float | None = None,
    sender: str | None = None,
    progress: Progress | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> MailSummary:
    """Personalise the brochure for every recipient, and write or send the messages.

    ``sender`` (``--from``) or ``$BROCHURE_MAIL_FROM`` gives the From address;
    ``rate`` is messages per minute; ``environ`` (default ``os.environ``) holds the
    sender and ``BROCHURE_SMTP_USER``/``BROCHURE_SMTP_PASSWORD``; ``sleep`` waits
    between retries and for the rate limit. Raises :class:`MailError` (nothing
    sent) when anything is wrong before the first message, or when the server
    stays unavailable (run again to resume).
    """
    say = progress or (lambda line: None)
    env = os.environ if environ is None else environ
    source = "--from" if sender else SENDER_VARIABLE
    the_sender = Sender.parse(sender or env.get(SENDER_VARIABLE), source=source)
    if send and the_sender.address is None:
        raise MailError(
            Problem(f"no sender: pass --from 'Name <address>' or set {SENDER_VARIABLE} to send")
        )
    server = Server.parse(smtp, ssl=ssl)
    credentials = Credentials.from_environment(env) if send else None
    mailing = Mailing.prepare(content_dir, out_dir, recipients, the_sender)
    say(
        f"built {mailing.edition.path} ({mailing.edition.pages} pages); "
        f"{len(mailing.recipients)} recipients checked"
    )
    if not send:
        return _dry_run(mailing, out_dir, say)
    mailer = Mailer(server, credentials=credentials, rate=rate, sleep=sleep)
    return _send(mailing, out_dir / SENDLOG_NAME, mailer, say)


def _dry_run(mailing: Mailing, out_dir: Path, say: Progress) -> MailSummary:
    before = sent_before(out_dir / SENDLOG_NAME, mailing.digest)
    folder = out_dir / OUTBOX
    written = write_outbox(folder, ((c.recipient.email, c.data) for c in mailing.copies()))
    say(f"wrote {len(written)} messages to {folder}")
    return MailSummary(
        mailing.edition,
        mailing.digest,
        len(mailing.recipients),
        sum(r.key in before for r in mailing.recipients),
        written=tuple(written),
    )


def _send(mailing: Mailing, log_path: Path, mailer: Mailer, say: Progress) -> MailSummary:
    with SendLog(log_path) as log, mailer:
        done = log.sent(mailing.digest)
        already = sum(r.key in done for r in mailing.recipients)
        if already:
            say(f"skipping {already} recipients the send log records as sent")
        sent, failures = _deliver(mailing, mailer, log, done, say)
    return MailSummary(
        mailing.edition,
        mailing.digest,
        len(mailing.recipients),
        already,
        sent=sent,
        failures=tuple(failures),
        log=log_path,
    )


def _deliver(
    mailing: Mailing, mailer: Mailer, log: SendLog, done: set[str], say: Progress
) -> tuple[int, list[Problem]]:
    """Send every copy not in ``done``, recording each outcome before the next message."""
    sender = mailing.composer.sender.address
    assert sender is not None
    failures: list[Problem] = []
    sent = 0
    for copy in mailing.copies(skip=done):
        who = copy.recipient
        try:
            outcome = mailer.send(sender, who.email, copy.data)
        except Unavailable as exc:
            log.record(who.email, mailing.digest, "failed", copy.message_id, exc.detail)
            left = sum(r.key not in done for r in mailing.recipients) - sent - len(failures)
            raise MailError(*failures, _stopped(exc.detail, who, mailing, sent, left)) from None
        log.record(who.email, mailing.digest, outcome.status, copy.message_id, outcome.detail)
        if outcome.status == "sent":
            sent += 1
            say(f"sent {who.email}")
        else:
            failures.append(_refused(who, outcome.detail, mailing))
            say(f"refused {who.email}: {outcome.detail}")
    return sent, failures


def _refused(who: Recipient, detail: str, mailing: Mailing) -> Problem:
    return Problem(f"not delivered: {detail}", Location(str(mailing.source), who.row), "email")


def _stopped(detail: str, who: Recipient, mailing: Mailing, sent: int, left: int) -> Problem:
    return Problem(
        f"stopped: the server stays unavailable ({detail}); sent {sent} this run, "
        f"{left} still to send: run the same command again to resume",
        Location(str(mailing.source), who.row),
    )
