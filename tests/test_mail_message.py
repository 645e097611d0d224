"""Messages and the dry run: headers, the attachment byte for byte, and the outbox of .eml files."""

from __future__ import annotations

import email
import email.policy
import io
import os
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from brochure.errors import ContentError, MailError
from brochure.mail import email_command
from brochure.mail.message import Composer, Sender, message_id
from brochure.mail.outbox import eml_name
from brochure.mail.recipients import Recipient
from brochure.mail.sendlog import SENDLOG_NAME
from brochure.mail.templates import Rendered

from .conftest import CONTENT, pdftotext

SIAN = Recipient(
    2,
    "Siân Llŵyd",
    "Sian@Example.org",
    MappingProxyType({"name": "Siân Llŵyd", "email": "Sian@Example.org"}),
)
WORDS = Rendered(
    "Your prospectus – HSMC", "Dear Siân Llŵyd,\n\nHere it is.\n", "<p>Dear Siân Llŵyd,</p>"
)


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def compose(
    pdf: bytes,
    *,
    prefix: bytes = b"",
    sender: Sender | None = None,
    reply_to: Address | None = None,
) -> tuple[str, bytes]:
    composer = Composer(
        sender or Sender("HSMC", "hsmc@example.org"),
        attachment="hsmc-prospectus.pdf",
        digest="ab" * 32,
        reply_to=reply_to,
        common_prefix=prefix,
    )
    return composer.compose(SIAN, WORDS, pdf)


def test_headers() -> None:
    """From, To (the name encoded), Subject, Date, Reply-To and Message-ID are all there."""
    ident, data = compose(b"%PDF-1.3\n", reply_to=Address("HSMC", addr_spec="info@example.org"))
    message = parse(data)
    assert str(message["From"]) == "HSMC <hsmc@example.org>"
    assert message["To"].addresses[0].display_name == "Siân Llŵyd"
    assert message["To"].addresses[0].addr_spec == "Sian@Example.org"
    assert message["Reply-To"].addresses[0].addr_spec == "info@example.org"
    assert message["Subject"] == "Your prospectus – HSMC"
    assert message["Date"].datetime is not None
    assert message["Message-ID"] == ident


def test_message_is_seven_bit_with_crlf_lines() -> None:
    """Any server takes it: ASCII only, CRLF line ends, no line over 998 characters."""
    _, data = compose(bytes(range(256)) * 100)
    assert max(data) < 128
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_message_id_same_for_the_same_brochure_and_address() -> None:
    """A resend of the same brochure carries the same Message-ID; another address another."""
    digest = "0123456789abcdef" * 4
    first = message_id(digest, "Ann@example.org", "example.org")
    assert first == message_id(digest, "ann@example.org", "example.org")
    assert first != message_id(digest, "bob@example.org", "example.org")
    assert first != message_id("f" * 64, "ann@example.org", "example.org")
    assert first.startswith("<0123456789abcdef.") and first.endswith("@example.org>")


@given(st.binary(max_size=3000), st.binary(max_size=300), st.booleans())
def test_attachment_decodes_to_the_exact_pdf(common: bytes, tail: bytes, shared: bool) -> None:
    """The attachment is the PDF byte for byte, whether or not it starts with the cached prefix."""
    pdf = common + tail
    _, data = compose(pdf, prefix=common if shared else b"other")
    (part,) = parse(data).iter_attachments()
    assert part.get_content() == pdf
    assert part.get_filename() == "hsmc-prospectus.pdf"


def test_dry_run_message_has_no_from() -> None:
    """Without a sender (a dry run), messages carry no From rather than a made-up one."""
    _, data = compose(b"%PDF", sender=Sender("HSMC", None))
    message = parse(data)
    assert message["From"] is None
    assert message["Message-ID"].endswith("@brochure.invalid>")


def test_sender_parsing() -> None:
    """--from takes 'Name <address>' or a bare address; anything else is refused."""
    assert Sender.parse("HSMC <hsmc@example.org>", source="--from") == Sender(
        "HSMC", "hsmc@example.org"
    )
    assert Sender.parse("hsmc@example.org", source="--from").named("HSMC") == Sender(
        "HSMC", "hsmc@example.org"
    )
    with pytest.raises(MailError, match="BROCHURE_MAIL_FROM: expected an address"):
        Sender.parse("HSMC", source="BROCHURE_MAIL_FROM")


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("ann@example.org", "ann@example.org.eml"),
        ("Ann@Example.org", "ann@example.org.eml"),
        ("a/b@example.org", "a_b@example.org-"),
        ("..x@example.org", "x@example.org-"),
    ],
)
def test_eml_names_are_safe(address: str, name: str) -> None:
    """Outbox file names are the address, lower-cased, with unsafe characters replaced."""
    assert eml_name(address).startswith(name)
    assert "/" not in eml_name(address) and not eml_name(address).startswith(".")


def write_list(folder: Path, rows: list[str]) -> Path:
    path = folder / "recipients.csv"
    path.write_text("\n".join(["name,email,organisation", *rows]) + "\n", encoding="utf-8")
    return path


def test_dry_run_writes_one_eml_per_recipient(tmp_path: Path) -> None:
    """Without --send: one .eml each in <out>/outbox/, holding their personalised PDF."""
    people = write_list(
        tmp_path, ["Siân Llŵyd,sian@example.org,Bwrdd Iechyd", "Bjørn Østergård,bjorn@example.dk,"]
    )
    summary = email_command(
        CONTENT,
        tmp_path / "build",
        people,
        environ={"BROCHURE_MAIL_FROM": "HSMC <hsmc@example.org>"},
    )
    outbox = tmp_path / "build" / "outbox"
    assert summary.written == (outbox / "sian@example.org.eml", outbox / "bjorn@example.dk.eml")
    assert sorted(outbox.iterdir()) == sorted(summary.written)
    assert summary.sent == 0 and summary.log is None
    assert not (tmp_path / "build" / SENDLOG_NAME).exists()
    for path, name in zip(summary.written, ["Siân Llŵyd", "Bjørn Østergård"], strict=True):
        message = parse(path.read_bytes())
        assert message["To"].addresses[0].display_name == name
        (part,) = message.iter_attachments()
        pdf = tmp_path / f"{path.stem}.pdf"
        pdf.write_bytes(part.get_content())
        assert name in pdftotext(pdf)
        assert len(PdfReader(io.BytesIO(part.get_content())).pages) == summary.edition.pages


def test_dry_run_builds_once_and_removes_stale_messages(tmp_path: Path) -> None:
    """A second dry run with a shorter list leaves only that list's messages in the outbox."""
    environ = {"BROCHURE_MAIL_FROM": "hsmc@example.org"}
    email_command(
        CONTENT,
        tmp_path / "build",
        write_list(tmp_path, ["Ann,ann@example.org,", "Bob,bob@example.org,"]),
        environ=environ,
    )
    summary = email_command(
        CONTENT, tmp_path / "build", write_list(tmp_path, ["Bob,bob@example.org,"]), environ=environ
    )
    assert sorted(p.name for p in (tmp_path / "build" / "outbox").iterdir()) == [
        "bob@example.org.eml"
    ]
    assert [p.name for p in (tmp_path / "build").glob("*.pdf")] == [summary.edition.path.name]


def test_dry_run_needs_no_sender(tmp_path: Path) -> None:
    """A dry run works with no sender set: the messages simply have no From."""
    summary = email_command(
        CONTENT, tmp_path / "build", write_list(tmp_path, ["Ann,ann@example.org,"]), environ={}
    )
    (path,) = summary.written
    message = parse(path.read_bytes())
    assert message["From"] is None
    assert "Health Services Management Centre" in message.get_body(("plain",)).get_content()


def test_dry_run_refuses_a_bad_list_before_building(tmp_path: Path) -> None:
    """A bad list stops the dry run too, before the build and before any file is written."""
    people = write_list(tmp_path, ["Ann,ann@example,", "Ann,ann@example,"])
    with pytest.raises(ContentError) as caught:
        email_command(CONTENT, tmp_path / "build", people, environ={})
    assert [p.location.line for p in caught.value.problems if p.location] == [2, 3, 3]
    assert not (tmp_path / "build").exists()


def test_editing_templates_keeps_the_send_log_key(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    """Editing an email template re-dates the build, but the brochure digest stays the same."""
    content = project({"content/email/subject.txt.j2": "Hello {{ recipient.name }}\n"})
    people = write_list(tmp_path, ["Ann,ann@example.org,"])
    first = email_command(content, tmp_path / "one", people, environ={})
    template = content / "email" / "subject.txt.j2"
    template.write_text("Hi {{ recipient.name }}\n", encoding="utf-8")
    later = template.stat().st_mtime + 3600
    os.utime(template, (later, later))
    second = email_command(content, tmp_path / "two", people, environ={})
    assert first.edition.path.read_bytes() != second.edition.path.read_bytes()
    assert first.digest == second.digest
    assert parse(second.written[0].read_bytes())["Subject"] == "Hi Ann"
