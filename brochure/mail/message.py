"""Messages: a recipient, their words and their PDF -> one RFC 5322 message, as bytes.

Input: a :class:`~.recipients.Recipient`, their :class:`~.templates.Rendered`
text and their personalised PDF. Output: a ``multipart/mixed`` message (a
``multipart/alternative`` of the plain text and the HTML, then the PDF as an
attachment), 7-bit clean, CRLF line ends, ready for SMTP or an ``.eml`` file.
Its Message-ID is derived from the brochure's digest and the address, so a
copy sent twice (after a crash between the server's "OK" and the send log)
carries the same Message-ID and can be recognised as a resend.
"""

from __future__ import annotations

import base64
import email.policy
import hashlib
import secrets
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from .. import __version__
from ..errors import MailError, Problem
from .recipients import Recipient, valid_address
from .templates import Rendered

__all__ = ["Composer", "Sender", "message_id"]

_POLICY = email.policy.SMTP
_LINE = 57
"""Bytes per line of base64 (76 characters)."""


@dataclass(frozen=True)
class Sender:
    """Who the mail comes from."""

    name: str
    """Display name, such as the organisation's."""
    address: str | None
    """``None`` only for a dry run with no sender set: the messages then have no From."""

    @classmethod
    def parse(cls, text: str | None, *, source: str) -> Sender:
        """``Name <address>``, a bare address (no name yet) or ``None`` (neither).

        ``source`` says where ``text`` came from, for the error message.
        """
        if not text:
            return cls("", None)
        name, address = parseaddr(text)
        if not valid_address(address):
            raise MailError(
                Problem(
                    f"{source}: expected an address such as "
                    f"'Name <name@example.org>' (got {text!r})"
                )
            )
        return cls(name, address)

    def named(self, default: str) -> Sender:
        """This sender, called ``default`` if it has no name of its own."""
        return self if self.name else Sender(default, self.address)

    @property
    def domain(self) -> str:
        """The domain of the address, for Message-IDs; ``brochure.invalid`` when unknown."""
        return self.address.rpartition("@")[2] if self.address else "brochure.invalid"


def message_id(digest: str, address: str, domain: str) -> str:
    """The Message-ID of the brochure with ``digest`` sent to ``address``: the same every time."""
    who = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
    return f"<{digest[:16]}.{who}@{domain}>"


class Composer:
    """Writes the messages of one mailing."""

    def __init__(
        self,
        sender: Sender,
        *,
        attachment: str,
        digest: str,
        reply_to: Address | None = None,
        common_prefix: bytes = b"",
    ) -> None:
        self.sender = sender
        """The From of every message."""
        self.attachment = attachment
        """File name of the attached PDF."""
        self.digest = digest
        """The brochure's digest, for Message-IDs."""
        self.reply_to = reply_to
        """Where replies go, if not to the sender."""
        self._base64 = _Base64(common_prefix)
        self._part, self._marker = _placeholder(attachment)

    def compose(self, recipient: Recipient, rendered: Rendered, pdf: bytes) -> tuple[str, bytes]:
        """(Message-ID, the message) for ``recipient``."""
        ident = message_id(self.digest, recipient.email, self.sender.domain)
        msg = EmailMessage(policy=_POLICY)
        if self.sender.address:
            msg["From"] = Address(self.sender.name, addr_spec=self.sender.address)
        msg["To"] = Address(recipient.name, addr_spec=recipient.email)
        if self.reply_to is not None:
            msg["Reply-To"] = self.reply_to
        msg["Subject"] = rendered.subject
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = ident
        msg["X-Mailer"] = f"brochure {__version__}"
        msg.set_content(rendered.text, cte="quoted-printable")
        msg.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
        return ident, self._attach(msg, pdf)

    def _attach(self, msg: EmailMessage, pdf: bytes) -> bytes:
        msg.make_mixed()
        msg.attach(self._part)
        data = msg.as_bytes()
        assert data.count(self._marker) == 1
        return data.replace(self._marker, self._base64.encode(pdf))


def _placeholder(filename: str) -> tuple[EmailMessage, bytes]:
    """The attachment part, holding a marker where the PDF goes; and the marker line.

    The email package writes a 130 KB attachment one base64 line at a time, 5 ms
    a message: half the budget of a personalised copy. So the part (the same in
    every message) is written around a marker, and its base64, mostly cached, put
    in after.
    """
    marker = f"brochure-attachment-{secrets.token_hex(16)}"
    part = EmailMessage(policy=_POLICY)
    part["Content-Type"] = "application/pdf"
    part.set_param("name", filename)
    part["Content-Disposition"] = "attachment"
    part.set_param("filename", filename, header="Content-Disposition")
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(marker)
    return part, marker.encode() + b"\r\n"


class _Base64:
    """Base64 with CRLF lines, remembering the encoding of a prefix most inputs share.

    Every personalised copy starts with the whole built PDF; only the end differs.
    """

    def __init__(self, prefix: bytes) -> None:
        self._prefix = prefix[: len(prefix) - len(prefix) % _LINE]
        self._encoded = _encode(self._prefix)

    def encode(self, data: bytes) -> bytes:
        if self._prefix and data.startswith(self._prefix):
            return self._encoded + _encode(data[len(self._prefix) :])
        return _encode(data)


def _encode(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")
