"""Delivery: one message at a time over SMTP, with TLS, retries and a rate limit.

Input: the server (``HOST[:PORT]``), credentials from the environment (never
from a file), and messages as bytes. Output: per message, :class:`Outcome`
``sent`` or ``permanent`` (the server refused it: a 5xx reply). Transient
trouble (4xx replies, dropped or refused connections, timeouts) is retried with
exponential backoff; when it persists, :class:`Unavailable` stops the run so
that it can be resumed later. Problems no retry can fix (TLS that fails to
verify, a refused login, a refused sender) raise :class:`~brochure.errors.MailError`.

STARTTLS is used whenever the server offers it; ``--ssl`` is implicit TLS from
the first byte. A password is never sent over a connection that is not encrypted.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..errors import MailError, Problem

__all__ = ["Credentials", "Mailer", "Outcome", "Server", "Unavailable", "parse_rate"]

USER_VARIABLE = "BROCHURE_SMTP_USER"
PASSWORD_VARIABLE = "BROCHURE_SMTP_PASSWORD"
_PER_MINUTE = {"s": 60.0, "sec": 60.0, "min": 1.0, "m": 1.0, "h": 1 / 60, "hour": 1 / 60}


@dataclass(frozen=True)
class Server:
    """Where to deliver."""

    host: str
    port: int
    ssl: bool
    """Implicit TLS (port 465 style) instead of STARTTLS when offered."""

    @classmethod
    def parse(cls, text: str | None, *, ssl: bool = False) -> Server:
        """``HOST:PORT``, ``HOST`` (port 465 with ``ssl``, else 587) or ``None`` (localhost:25)."""
        if not text:
            return cls("localhost", 465 if ssl else 25, ssl)
        if text.startswith("["):  # [2001:db8::1]:587
            host, _, rest = text[1:].partition("]")
            given, port = rest.startswith(":"), rest[1:]
        elif text.count(":") == 1:
            host, _, port = text.partition(":")
            given = True
        else:
            host, port, given = text, "", False
        if not given:
            port = "465" if ssl else "587"
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise MailError(
                Problem(f"--smtp: expected HOST:PORT such as smtp.example.org:587 (got {text!r})")
            )
        return cls(host, int(port), ssl)

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Credentials:
    """A login, taken from the environment."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Credentials | None:
        """Both variables set: a login; neither: ``None``; only one: an error."""
        user, password = environ.get(USER_VARIABLE), environ.get(PASSWORD_VARIABLE)
        if user and password:
            return cls(user, password)
        if user or password:
            given, missing = (
                (USER_VARIABLE, PASSWORD_VARIABLE) if user else (PASSWORD_VARIABLE, USER_VARIABLE)
            )
            raise MailError(
                Problem(
                    f"{given} is set but {missing} is not: set both to log in, "
                    "or neither to send without logging in"
                )
            )
        return None


@dataclass(frozen=True)
class Outcome:
    """What became of one message."""

    status: Literal["sent", "permanent"]
    detail: str = ""
    """The server's reply, for a refusal."""


class Unavailable(Exception):
    """Transient trouble that outlasted every retry; the run should stop and be resumed."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def parse_rate(text: str) -> float:
    """Messages per minute from ``N``, ``N/min``, ``N/s`` or ``N/h``."""
    number, _, unit = text.strip().partition("/")
    try:
        value = float(number) * _PER_MINUTE[unit.strip().lower() or "min"]
    except (KeyError, ValueError):
        value = 0.0
    if not value > 0:
        raise ValueError(f"expected a rate such as 30/min, 1/s or 600/h (got {text!r})")
    return value


Kind = Literal["transient", "permanent", "fatal"]


class Mailer:
    """One SMTP session, opened when first needed and reopened after a drop."""

    def __init__(
        self,
        server: Server,
        *,
        credentials: Credentials | None = None,
        rate: float | None = None,
        attempts: int = 5,
        backoff: float = 2.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.server = server
        self.credentials = credentials
        self.interval = 60.0 / rate if rate else 0.0
        """Least time between the starts of two messages, in seconds."""
        self.attempts = attempts
        """Tries per message before a transient problem stops the run."""
        self.backoff = backoff
        """Wait before the first retry, in seconds; doubled for each further retry."""
        self.timeout = timeout
        self._sleep, self._clock = sleep, clock
        self._last: float | None = None
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, sender: str, recipient: str, message: bytes) -> Outcome:
        """Deliver ``message``; retry transient trouble, raise :class:`Unavailable` if it stays."""
        self._pace()
        detail = ""
        for attempt in range(self.attempts):
            if attempt:
                self._sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self._connection().sendmail(sender, [recipient], message)
                return Outcome("sent")
            except (smtplib.SMTPException, OSError) as exc:
                kind, detail = _classify(exc, recipient)
            if kind == "fatal":
                self.close()
                raise MailError(Problem(f"{self.server}: {detail}"))
            if kind == "permanent":
                return Outcome("permanent", detail)
            self._drop()
        raise Unavailable(f"{self.server}: {detail} (tried {self.attempts} times)")

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                self._conn.close()
            self._conn = None

    def _pace(self) -> None:
        if self.interval and self._last is not None:
            wait = self._last + self.interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> smtplib.SMTP:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _connect(self) -> smtplib.SMTP:
        host, port = self.server.host, self.server.port
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if self.server.ssl:
            conn = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=context)
        else:
            conn = smtplib.SMTP(host, port, timeout=self.timeout)
        try:
            conn.ehlo()
            encrypted = self.server.ssl
            if not encrypted and conn.has_extn("starttls"):
                conn.starttls(context=context)
                conn.ehlo()
                encrypted = True
            if self.credentials is not None:
                if not encrypted:
                    raise _Refuse(
                        "the server offers no STARTTLS: not sending the password "
                        "unencrypted (use --ssl if it expects TLS from the start)"
                    )
                conn.login(self.credentials.user, self.credentials.password)
        except BaseException:
            conn.close()
            raise
        return conn


class _Refuse(smtplib.SMTPException):
    """A reason not to go on with this server at all."""


def _classify(exc: BaseException, recipient: str) -> tuple[Kind, str]:
    """Whether ``exc`` may pass (transient), is this message's (permanent) or the run's (fatal)."""
    if isinstance(exc, _Refuse | smtplib.SMTPNotSupportedError):
        return "fatal", str(exc)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "fatal", f"TLS failed: {exc}"
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        kind = _by_code(exc.smtp_code)  # the server's, not this message's: 5xx ends the run
        return ("fatal" if kind == "permanent" else kind), _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "fatal", f"login refused: {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = exc.recipients.get(recipient, next(iter(exc.recipients.values())))
        return _by_code(code), f"recipient refused: {_reply(code, text)}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        kind = _by_code(exc.smtp_code)
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return ("fatal" if kind == "permanent" else kind), f"sender refused: {reply}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_code(exc.smtp_code), _reply(exc.smtp_code, exc.smtp_error)
    return "transient", str(exc) or type(exc).__name__  # disconnects, refused connections


def _by_code(code: int) -> Kind:
    return "permanent" if 500 <= code < 600 else "transient"


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"
