"""Sending, against a real SMTP server (aiosmtpd) on 127.0.0.1 started by the tests.

Delivery, the attachment intact and personalised, STARTTLS and implicit TLS
with a login, a rerun that sends nobody twice, a server that fails half-way
and recovers, a run stopped half-way that resumes, refusals reported per
recipient, and a bad list refused before anything is sent.
"""

from __future__ import annotations

import email
import email.policy
import io
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, Session
from pypdf import PdfReader

from brochure.errors import ContentError, MailError
from brochure.mail import MailSummary, email_command, parse_rate
from brochure.mail.sendlog import SENDLOG_NAME, SendLog
from brochure.mail.smtp import Credentials, Mailer, Server

from .conftest import CONTENT

SENDER = "HSMC <hsmc@example.org>"
PEOPLE = [
    ("Siân Llŵyd", "sian@example.org", "Bwrdd Iechyd Prifysgol Caerdydd a’r Fro"),
    ("Paweł Łukasiewicz", "pawel@example.pl", "Szpital Wojewódzki w Łodzi"),
    ("Bjørn Østergård", "bjorn@example.dk", ""),
]


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def pdf(self) -> PdfReader:
        (part,) = self.message.iter_attachments()
        return PdfReader(io.BytesIO(part.get_content()), strict=True)


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it is sent and fails when told to."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    """Address -> the reply to RCPT TO for it."""
    data_replies: list[str] = field(default_factory=list)
    """Replies to give to the next DATA commands instead of accepting."""

    async def handle_RCPT(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes) and envelope.mail_from is not None
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                content,
                session.ssl is not None,
                bool(session.authenticated),
            )
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class LocalServer:
    """An aiosmtpd server on 127.0.0.1 that can be stopped and started again on its port."""

    def __init__(self, **options: Any) -> None:
        self.inbox = Inbox()
        self.options = options
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller: Controller | None = None
        self.start()

    def start(self) -> None:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.options
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A plain SMTP server (no TLS, no login)."""
    running = LocalServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    """A server certificate for 127.0.0.1 and the CA file a client must trust to accept it."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    cafile = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    return context, cafile


def recipients(folder: Path, people: list[tuple[str, str, str]] = PEOPLE) -> Path:
    path = folder / "recipients.csv"
    lines = ["name,email,organisation", *(",".join(f'"{v}"' for v in p) for p in people)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Sleeps(list[float]):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def send(
    server: LocalServer,
    folder: Path,
    *,
    environ: dict[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    **options: Any,
) -> MailSummary:
    return email_command(
        CONTENT,
        folder / "build",
        folder / "recipients.csv",
        smtp=server.address,
        send=True,
        environ={"BROCHURE_MAIL_FROM": SENDER, **(environ or {})},
        sleep=Sleeps() if sleep is None else sleep,
        **options,
    )


def log_rows(folder: Path) -> list[tuple[str, str, str]]:
    with SendLog(folder / "build" / SENDLOG_NAME) as log:
        return log.rows()


def test_delivers_each_recipient_their_own_copy(server: LocalServer, tmp_path: Path) -> None:
    """Each recipient gets one message: from the sender, to them, their name on the cover."""
    recipients(tmp_path)
    summary = send(server, tmp_path)
    assert (summary.sent, summary.failures, summary.ok) == (3, (), True)
    assert sorted(r.rcpt_tos[0] for r in server.inbox.received) == sorted(p[1] for p in PEOPLE)
    for name, address, organisation in PEOPLE:
        (got,) = server.inbox.to(address)
        assert got.mail_from == "hsmc@example.org"
        message = got.message
        assert message["To"].addresses[0].display_name == name
        assert message["From"].addresses[0].display_name == "HSMC"
        cover = got.pdf().pages[0].extract_text()
        assert name in cover and organisation in cover
        assert not [other for other, *_ in PEOPLE if other != name and other in cover]


def test_attachment_is_intact(server: LocalServer, tmp_path: Path) -> None:
    """The attached PDF is the built edition plus the stamp: same pages, named <slug>.pdf."""
    recipients(tmp_path)
    summary = send(server, tmp_path)
    (got,) = server.inbox.to("pawel@example.pl")
    (part,) = got.message.iter_attachments()
    assert part.get_filename() == "hsmc-prospectus.pdf"
    assert part.get_content_type() == "application/pdf"
    data = part.get_content()
    assert data.startswith(summary.edition.path.read_bytes().rstrip(b"\n"))
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == summary.edition.pages
    assert "Paweł Łukasiewicz" in reader.pages[0].extract_text()


def test_message_is_multipart_alternative_with_text_and_html(
    server: LocalServer, tmp_path: Path
) -> None:
    """The body is text and HTML alternatives, 7-bit clean, with a Message-ID per recipient."""
    recipients(tmp_path)
    send(server, tmp_path)
    (got,) = server.inbox.to("sian@example.org")
    assert max(got.data) < 128
    message = got.message
    assert message.get_body(("plain",)).get_content().startswith("Dear Siân Llŵyd,")
    assert "<p>Dear Siân Llŵyd,</p>" in message.get_body(("html",)).get_content()
    ids = {r.message["Message-ID"] for r in server.inbox.received}
    assert len(ids) == 3 and all(i.endswith("@example.org>") for i in ids)


def test_rerun_sends_nobody_twice(server: LocalServer, tmp_path: Path) -> None:
    """Running the same send again delivers nothing; a name added later is the only one sent."""
    recipients(tmp_path)
    send(server, tmp_path)
    again = send(server, tmp_path)
    assert (again.sent, again.already_sent) == (0, 3)
    assert len(server.inbox.received) == 3
    recipients(tmp_path, [*PEOPLE, ("Åse Nordström", "ase@example.se", "Region Skåne")])
    third = send(server, tmp_path)
    assert (third.sent, third.already_sent) == (1, 3)
    assert [r.rcpt_tos for r in server.inbox.received[3:]] == [["ase@example.se"]]
    assert sorted(status for *_, status in log_rows(tmp_path)) == ["sent"] * 4


def test_transient_errors_retried_with_backoff(server: LocalServer, tmp_path: Path) -> None:
    """Two 451 replies are waited out (2 s, then 4 s) and the message goes once."""
    recipients(tmp_path)
    server.inbox.data_replies[:] = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]
    sleeps = Sleeps()
    summary = send(server, tmp_path, sleep=sleeps)
    assert summary.sent == 3
    assert sleeps == [2.0, 4.0]
    assert all(len(server.inbox.to(address)) == 1 for _, address, _ in PEOPLE)


def test_server_failing_half_way_then_recovering(server: LocalServer, tmp_path: Path) -> None:
    """A server that goes away after one message stops the run; once back, the rerun resumes."""
    recipients(tmp_path)
    sleeps = Sleeps()

    def progress(line: str) -> None:
        if line.startswith("sent "):
            server.stop()  # the server goes down right after the first delivery

    with pytest.raises(MailError) as caught:
        send(server, tmp_path, sleep=sleeps, progress=progress)
    (problem,) = caught.value.problems
    assert "stopped: the server stays unavailable" in str(problem)
    assert "sent 1 this run, 2 still to send: run the same command again" in str(problem)
    assert str(problem).startswith(f"{tmp_path}/recipients.csv:3: ")
    assert sleeps == [2.0, 4.0, 8.0, 16.0]  # five tries, exponential backoff
    assert sorted(status for *_, status in log_rows(tmp_path)) == ["failed", "sent"]

    server.start()
    summary = send(server, tmp_path)
    assert (summary.sent, summary.already_sent) == (2, 1)
    assert all(len(server.inbox.to(address)) == 1 for _, address, _ in PEOPLE)
    assert sorted(status for *_, status in log_rows(tmp_path)) == ["sent"] * 3


def test_interrupted_run_resumes_where_it_stopped(server: LocalServer, tmp_path: Path) -> None:
    """Ctrl-C after the first delivery: the rerun sends the other two, and not the first."""
    recipients(tmp_path)

    def interrupt(line: str) -> None:
        if line.startswith("sent "):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        send(server, tmp_path, progress=interrupt)
    assert len(server.inbox.received) == 1
    summary = send(server, tmp_path)
    assert (summary.sent, summary.already_sent) == (2, 1)
    assert all(len(server.inbox.to(address)) == 1 for _, address, _ in PEOPLE)


def test_permanent_refusal_reported_per_recipient(server: LocalServer, tmp_path: Path) -> None:
    """A 550 for one address is reported at its line; the others are delivered."""
    recipients(tmp_path)
    server.inbox.refuse["pawel@example.pl"] = "550 5.1.1 No such user here"
    summary = send(server, tmp_path)
    assert (summary.sent, summary.ok) == (2, False)
    assert [str(p) for p in summary.failures] == [
        f"{tmp_path}/recipients.csv:3: email: not delivered: recipient refused: "
        "550 5.1.1 No such user here"
    ]
    assert ("pawel@example.pl", summary.digest, "permanent") in log_rows(tmp_path)
    server.inbox.refuse.clear()
    retried = send(server, tmp_path)  # refused ones are tried again, the sent ones are not
    assert (retried.sent, retried.already_sent, retried.ok) == (1, 2, True)


def test_bad_list_refused_and_nothing_sent(server: LocalServer, tmp_path: Path) -> None:
    """A list with a bad address, a missing name and a duplicate sends nothing, logs nothing."""
    (tmp_path / "recipients.csv").write_text(
        "name,email\nAnn,ann@example.org\nBob,bob@example\n,carol@example.org\n"
        "Ann,Ann@Example.org\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        send(server, tmp_path)
    lines = [str(p).split(": ", 1)[0] for p in caught.value.problems]
    assert lines == [f"{tmp_path}/recipients.csv:{n}" for n in (3, 4, 5)]
    assert server.inbox.received == []
    assert not (tmp_path / "build").exists()


def test_starttls_and_login(
    tls: tuple[ssl.SSLContext, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STARTTLS is used when offered, and the login comes from the environment."""
    context, cafile = tls
    monkeypatch.setenv("SSL_CERT_FILE", str(cafile))
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(
        server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret")

    running = LocalServer(
        tls_context=context, require_starttls=True, auth_required=True, authenticator=authenticate
    )
    try:
        recipients(tmp_path)
        summary = send(
            running,
            tmp_path,
            environ={"BROCHURE_SMTP_USER": "hsmc", "BROCHURE_SMTP_PASSWORD": "s3cret"},
        )
    finally:
        running.stop()
    assert summary.sent == 3
    assert all(r.tls and r.authenticated for r in running.inbox.received)
    assert logins == [(b"hsmc", b"s3cret")]  # one session for the whole run


def test_implicit_tls_with_ssl(
    tls: tuple[ssl.SSLContext, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --ssl the connection is TLS from the first byte."""
    context, cafile = tls
    monkeypatch.setenv("SSL_CERT_FILE", str(cafile))
    running = LocalServer(ssl_context=context)
    try:
        recipients(tmp_path)
        summary = send(running, tmp_path, ssl=True)
    finally:
        running.stop()
    assert summary.sent == 3


def test_untrusted_certificate_stops_at_once(
    tls: tuple[ssl.SSLContext, Path], tmp_path: Path
) -> None:
    """A certificate that does not verify ends the run without retries or a plain fallback."""
    context, _ = tls
    running = LocalServer(tls_context=context)
    sleeps = Sleeps()
    try:
        recipients(tmp_path)
        with pytest.raises(MailError, match="TLS failed"):
            send(running, tmp_path, sleep=sleeps)
    finally:
        running.stop()
    assert running.inbox.received == []
    assert sleeps == []


def test_password_never_sent_unencrypted(server: LocalServer, tmp_path: Path) -> None:
    """Credentials with a server that offers no STARTTLS: refused, nothing sent."""
    recipients(tmp_path)
    with pytest.raises(MailError, match="not sending the password unencrypted"):
        send(
            server,
            tmp_path,
            environ={"BROCHURE_SMTP_USER": "hsmc", "BROCHURE_SMTP_PASSWORD": "s3cret"},
        )
    assert server.inbox.received == []


def test_half_set_credentials_refused(server: LocalServer, tmp_path: Path) -> None:
    """Only one of the two login variables set is an error before anything is built."""
    recipients(tmp_path)
    with pytest.raises(MailError, match="BROCHURE_SMTP_USER is set but BROCHURE_SMTP_PASSWORD"):
        send(server, tmp_path, environ={"BROCHURE_SMTP_USER": "hsmc"})
    assert not (tmp_path / "build").exists()


def test_sending_needs_a_sender(server: LocalServer, tmp_path: Path) -> None:
    """--send without --from or BROCHURE_MAIL_FROM stops before building anything."""
    recipients(tmp_path)
    with pytest.raises(MailError, match="no sender"):
        email_command(
            CONTENT,
            tmp_path / "build",
            tmp_path / "recipients.csv",
            smtp=server.address,
            send=True,
            environ={},
        )
    assert not (tmp_path / "build").exists()


def test_rate_limit_spaces_messages(server: LocalServer) -> None:
    """At 30 a minute, each message after the first waits until 2 s after the one before."""
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    with Mailer(
        Server("127.0.0.1", server.port, False), rate=30, sleep=sleep, clock=lambda: now[0]
    ) as mailer:
        for i in range(3):
            now[0] += 0.5  # composing takes half a second
            outcome = mailer.send("a@example.org", f"r{i}@example.org", b"Subject: x\r\n\r\nx\r\n")
            assert outcome.status == "sent"
    assert sleeps == [1.5, 1.5]
    assert len(server.inbox.received) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ("localhost", 25)),
        ("smtp.example.org", ("smtp.example.org", 587)),
        ("smtp.example.org:2525", ("smtp.example.org", 2525)),
        ("[::1]:25", ("::1", 25)),
    ],
)
def test_parse_server(text: str | None, expected: tuple[str, int]) -> None:
    """--smtp takes HOST:PORT; without a port, the submission port (465 with --ssl)."""
    found = Server.parse(text)
    assert (found.host, found.port) == expected
    assert Server.parse("smtp.example.org", ssl=True).port == 465


@pytest.mark.parametrize("text", ["smtp.example.org:", ":25", "host:port", "host:70000"])
def test_parse_server_refuses_nonsense(text: str) -> None:
    """A malformed --smtp is a clear error."""
    with pytest.raises(MailError, match="expected HOST:PORT"):
        Server.parse(text)


@pytest.mark.parametrize(
    ("text", "per_minute"), [("30", 30.0), ("30/min", 30.0), ("2/s", 120.0), ("600/h", 10.0)]
)
def test_parse_rate(text: str, per_minute: float) -> None:
    """--rate reads N, N/min, N/s and N/h as messages per minute."""
    assert parse_rate(text) == per_minute


@pytest.mark.parametrize("text", ["", "fast", "0/min", "-1", "3/week"])
def test_parse_rate_refuses_nonsense(text: str) -> None:
    """A rate that is not a positive number per s, min or h is refused."""
    with pytest.raises(ValueError, match="expected a rate such as 30/min"):
        parse_rate(text)


def test_credentials_hide_the_password() -> None:
    """The password never shows in a repr (tracebacks, logs)."""
    found = Credentials.from_environment(
        {"BROCHURE_SMTP_USER": "u", "BROCHURE_SMTP_PASSWORD": "hunter2"}
    )
    assert found is not None and "hunter2" not in repr(found)
