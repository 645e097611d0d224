"""A mailing, prepared: content + recipient list -> checked recipients, their words, their PDFs.

Input: the content folder, the recipient list and the sender. Output: a
:class:`Mailing` in which everything that can be checked before sending has
been: every row of the list, every recipient's email text, every cover line
(the fonts can draw it, and it fits). Then the screen edition is built, once;
:meth:`Mailing.copies` stamps and composes each recipient's message as it is
asked for. Nothing is sent or written here but the build.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from email.headerregistry import Address
from pathlib import Path

from ..build import Output, build
from ..errors import MailError, Problem
from ..model import Brochure
from ..project import Project
from ..validate import Content, read_content, read_theme
from .cover import Cover
from .message import Composer, Sender
from .recipients import Recipient, read_recipients, valid_address
from .stamp import Stamper
from .templates import Rendered, Templates

__all__ = ["EDITION", "Copy", "Mailing"]

EDITION = "screen"
"""The edition every recipient gets."""


@dataclass(frozen=True)
class Copy:
    """One recipient's message, ready to send or to write."""

    recipient: Recipient
    message_id: str
    data: bytes
    """The whole message (RFC 5322, CRLF line ends)."""


@dataclass(frozen=True)
class Mailing:
    """A checked mailing with its brochure built; see :meth:`prepare`."""

    recipients: tuple[Recipient, ...]
    rendered: tuple[Rendered, ...]
    """Each recipient's email text, in the same order."""
    edition: Output
    """The built screen edition that every copy is stamped from."""
    stamper: Stamper
    composer: Composer
    source: Path
    """The recipient list, as given."""

    @classmethod
    def prepare(cls, content_dir: Path, out_dir: Path, recipients: Path, sender: Sender) -> Mailing:
        """Check everything, then build the screen edition into ``out_dir``."""
        project = Project(content_dir)
        theme, fonts = read_theme(project)
        content = read_content(project, theme, fonts)
        brochure = content.brochure
        sender = sender.named(brochure.organisation.name)
        _check_cover(content)
        cover = Cover(theme, fonts)
        people = read_recipients(recipients, check=cover.check)
        attachment = f"{brochure.slug}.pdf"
        common = {"brochure": brochure, "sender": sender, "attachment": attachment}
        rendered = Templates(content_dir).render_all(people, common, str(recipients))
        (edition,) = build(content_dir, out_dir, [EDITION])
        lines = [cover.lines(r.name, r.organisation) for r in people]
        overlays = cover.overlays(lines, (theme.page.width, theme.page.height))
        stamper = Stamper(edition.path.read_bytes(), overlays)
        composer = Composer(
            sender,
            attachment=attachment,
            digest=stamper.digest,
            reply_to=_reply_to(brochure),
            common_prefix=stamper.common_prefix,
        )
        return cls(people, tuple(rendered), edition, stamper, composer, recipients)

    @property
    def digest(self) -> str:
        """What the send log keys deliveries on, with the address: the brochure's content."""
        return self.stamper.digest

    def copies(self, skip: Collection[str] = ()) -> Iterator[Copy]:
        """Each recipient's message, in list order, but for the addresses in ``skip``."""
        for i, recipient in enumerate(self.recipients):
            if recipient.key in skip:
                continue
            ident, data = self.composer.compose(recipient, self.rendered[i], self.stamper.copy(i))
            yield Copy(recipient, ident, data)


def _check_cover(content: Content) -> None:
    first = content.brochure.pages[0]
    if first.layout != "cover":
        raise MailError(
            Problem(
                "personalised copies print the recipient's name on the cover, so the first page "
                f"must use the cover layout (got {first.layout!r})",
                content.where(first, "layout"),
                "pages[0].layout",
            )
        )


def _reply_to(brochure: Brochure) -> Address | None:
    """The organisation's enquiries address, when the content gives one."""
    org = brochure.organisation
    if org.email and valid_address(org.email):
        return Address(org.name, addr_spec=org.email)
    return None
