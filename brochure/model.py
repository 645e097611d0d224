"""The content model: what ``content/brochure.yaml`` may say, as frozen dataclasses.

Each field is declared once, with its type and docstring (see
:mod:`brochure.schema`); the validator builds these values from YAML, and the
layout templates read them. ``docs/content.md`` is generated from these
declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from .schema import Invalid, Length, Rich, Size, Tagged, Text, option

__all__ = [
    "Block",
    "Brochure",
    "BulletList",
    "Columns",
    "CycleNode",
    "Entry",
    "Figure",
    "FigureBlock",
    "Heading",
    "ImageBlock",
    "LabelledItem",
    "LabelledList",
    "Lead",
    "Link",
    "Organisation",
    "Page",
    "PageBreak",
    "Paragraph",
    "Quote",
    "Space",
    "Subheading",
]

EditionName = Literal["print", "screen", "booklet"]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2})?")


@dataclass(frozen=True)
class Link:
    """A web address, and the words that show it on the page."""

    url: str = option("The address, starting https:// or http://.")
    label: Text | None = option("What the page shows; the address itself if unset.", None)

    def __post_init__(self) -> None:
        if not re.match(r"https?://[^\s/$.?#].[^\s]*$", self.url):
            raise Invalid("url", f"expected an address starting https:// (got {self.url!r})")

    @property
    def text(self) -> str:
        """The words shown for the link."""
        return self.label or self.url


@dataclass(frozen=True)
class Organisation:
    """Who publishes the brochure, and how to reach them."""

    name: Text = option("Full name, as on the back cover.")
    short_name: Text | None = option("Short name or acronym, used in running heads.", None)
    parent: Text | None = option("The body the organisation belongs to.", None)
    web: Link | None = option("Public web address.", None)
    email: Text | None = option("Email address for enquiries (a mailto: link on screen).", None)
    phone: Text | None = option("Telephone number, as it should be printed.", None)
    address: tuple[Text, ...] = option("Postal address, one line per item.", ())

    def __post_init__(self) -> None:
        if self.email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.email):
            raise Invalid(
                "email", f"expected an address such as name@example.org (got {self.email!r})"
            )


@dataclass(frozen=True)
class CycleNode:
    """One activity on the virtuous circle."""

    letter: Text = option("A short code drawn large in the node, such as R.")
    label: Text = option("The activity's name, drawn under the letter.")


@dataclass(frozen=True)
class Figure:
    """A figure drawn as vector graphics from data (for now: a cycle of activities)."""

    nodes: Annotated[tuple[CycleNode, ...], Size(3, 8)] = option(
        "The activities, clockwise from the top; arrows run from each to the next."
    )
    alt: str = option("A sentence describing the figure for readers who cannot see it.")
    kind: Literal["cycle"] = option("What to draw.", "cycle")
    centre: Text | None = option("Words drawn in the middle of the ring.", None)
    caption: Rich | None = option("Caption printed under the figure.", None)

    def __post_init__(self) -> None:
        letters = [n.letter for n in self.nodes]
        twice = sorted({x for x in letters if letters.count(x) > 1})
        if twice:
            raise Invalid("nodes", f"each letter must be different (repeated: {', '.join(twice)})")
        if not self.alt.strip():
            raise Invalid("alt", "expected a sentence describing the figure (got nothing)")


class Block(Tagged):
    """One piece of a page's flow, written as ``- kind: value``."""


@dataclass(frozen=True)
class Paragraph(Block):
    """A paragraph of body text."""

    tag = "paragraph"
    shorthand = "text"
    text: Rich = option("The paragraph.")


@dataclass(frozen=True)
class Lead(Block):
    """An opening paragraph, set larger than body text."""

    tag = "lead"
    shorthand = "text"
    text: Rich = option("The paragraph.")


@dataclass(frozen=True)
class Heading(Block):
    """A heading inside a page (below the page title)."""

    tag = "heading"
    shorthand = "text"
    text: Text = option("The heading.")


@dataclass(frozen=True)
class Subheading(Block):
    """A minor heading."""

    tag = "subheading"
    shorthand = "text"
    text: Text = option("The heading.")


@dataclass(frozen=True)
class BulletList(Block):
    """A bulleted (or numbered) list."""

    tag = "list"
    shorthand = "items"
    items: Annotated[tuple[Rich, ...], Size(1)] = option("The items, one paragraph each.")
    numbered: bool = option("Number the items instead of bulleting them.", False)


@dataclass(frozen=True)
class LabelledItem:
    """A list item with a short label in the margin, such as R for research."""

    label: Text = option("The label, such as R.")
    text: Rich = option("The item.")


@dataclass(frozen=True)
class LabelledList(Block):
    """A list whose items carry short labels instead of bullets."""

    tag = "labelled_list"
    shorthand = "items"
    items: Annotated[tuple[LabelledItem, ...], Size(1)] = option("The items.")


@dataclass(frozen=True)
class FigureBlock(Block):
    """Places one of the brochure's figures (see ``figures``) with its caption."""

    tag = "figure"
    shorthand = "name"
    name: str = option("The figure's name in ``figures``.")
    width: Length | None = option("Drawn width; the layout's choice if unset.", None)


@dataclass(frozen=True)
class ImageBlock(Block):
    """A photograph or other picture (JPEG or PNG), with its alternative text."""

    tag = "image"
    shorthand = None
    src: str = option("The image file, relative to the content folder, such as images/team.jpg.")
    alt: str = option("What the image shows, for readers who cannot see it.")
    width: Length | None = option("Drawn width; the text width if unset (never wider).", None)
    caption: Rich | None = option("Caption printed under the image.", None)

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise Invalid("alt", "expected a sentence describing the image (got nothing)")


@dataclass(frozen=True)
class Quote(Block):
    """A pull quote."""

    tag = "quote"
    shorthand = "text"
    text: Rich = option("The quotation.")
    source: Text | None = option("Who said it.", None)


@dataclass(frozen=True)
class Columns(Block):
    """Blocks set in balanced columns."""

    tag = "columns"
    shorthand = "blocks"
    blocks: tuple[Block, ...] = option("The blocks to flow into the columns.")
    count: int = option("How many columns.", 2)

    def __post_init__(self) -> None:
        if not 2 <= self.count <= 4:
            raise Invalid("count", f"expected 2 to 4 columns (got {self.count})")


@dataclass(frozen=True)
class Space(Block):
    """Vertical white space."""

    tag = "space"
    shorthand = "height"
    height: Length = option("How much space.")


@dataclass(frozen=True)
class PageBreak(Block):
    """Start a new page here."""

    tag = "page_break"


@dataclass(frozen=True)
class Entry:
    """One entry of a catalogue page, such as a programme or course."""

    title: Text = option("The entry's title.")
    text: Rich = option("Its description.")
    code: Text | None = option("A reference code, such as HSMC-101.", None)
    kind: Text | None = option("What sort of entry it is, such as Short course.", None)


@dataclass(frozen=True)
class Page:
    """One page (or run of pages) of the brochure, drawn by a layout template."""

    layout: str = option(
        "Which layout draws it: a template in layouts/, such as cover, article, back."
    )
    title: Text | None = option("The page title (a top-level heading).", None)
    kicker: Text | None = option("A short line above the title.", None)
    subtitle: Text | None = option("A line below the title.", None)
    blocks: tuple[Block, ...] = option("The flow of the page.", ())
    entries: tuple[Entry, ...] = option("Catalogue entries, for layouts that list them.", ())


@dataclass(frozen=True)
class Brochure:
    """The whole brochure: ``content/brochure.yaml``."""

    title: Text = option("The document title (also the PDF title).")
    slug: str = option("File name stem of the outputs: <slug>-print.pdf and so on.")
    author: str = option("The PDF author: who publishes it.")
    organisation: Organisation = option("Who publishes the brochure, and how to reach them.")
    pages: Annotated[tuple[Page, ...], Size(1)] = option("The pages, in order.")
    subtitle: Text | None = option("The document subtitle.", None)
    subject: str | None = option("The PDF subject: one sentence on what it is about.", None)
    keywords: tuple[str, ...] = option("PDF keywords.", ())
    language: str = option("Language of the text, as a tag such as en-GB.", "en-GB")
    editions: tuple[EditionName, ...] = option(
        "Which editions `brochure build` writes.", ("print", "screen")
    )
    figures: dict[str, Figure] = option("Figures, by name, for figure blocks.", factory=dict)

    def __post_init__(self) -> None:
        if not _SLUG.fullmatch(self.slug):
            raise Invalid(
                "slug", f"expected lower-case letters, digits and hyphens (got {self.slug!r})"
            )
        if not _LANGUAGE.fullmatch(self.language):
            raise Invalid("language", f"expected a tag such as en-GB (got {self.language!r})")
