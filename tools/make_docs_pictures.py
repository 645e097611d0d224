"""Regenerate the pictures in docs/img/ from the examples in the docs.

An example is a fenced block in a doc, with one comment line just above it:

    <!-- example: STEP; file: PATH; mode: MODE -->
    <!-- example: STEP; file: PATH; mode: MODE; find: TEXT -->

PATH is relative to the brochure's folder (the one ``brochure new`` makes).
MODE says what to do with the block's text:

- ``replace``: the block becomes the whole file (a new file is made);
- ``append``: the block is added at the end of the file;
- ``patch``: the block's lines replace as many lines of the file, starting at
  the one line that contains TEXT; a replaced line that starts with a key
  (``title:``) must be replaced by a line with the same key and indentation;
- ``insert``: the block is inserted above the one line that contains TEXT.

Each doc is a sequence of steps (``DOCS``). To show a step, start from a
fresh ``brochure new`` folder and apply, in order, every example of that step
and of the steps before it. tests/test_docs_examples.py applies the examples
the same way, with this module's code, and checks each result.

    python tools/make_docs_pictures.py             # every picture
    python tools/make_docs_pictures.py tutorial-colours.png ...   # only these

Pictures are rendered with pdfium from the built PDFs, so the same sources give
the same PNG files.
"""

from __future__ import annotations

import argparse
import csv
import email
import email.policy
import io
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brochure.build import build  # noqa: E402
from brochure.project import package_fonts_dir  # noqa: E402
from brochure.starter import new_brochure  # noqa: E402

IMG = ROOT / "docs" / "img"

DOCS: dict[str, tuple[str, ...]] = {
    "docs/tutorial.md": ("start", "change-text", "change-colours", "add-page", "print", "email"),
    "docs/content.md": ("content-example",),
    "docs/markup.md": ("markup-example",),
    "docs/theme.md": ("theme-example",),
}
"""Each doc with examples, and its steps in order (a step may have no example)."""

MODES = ("replace", "append", "patch", "insert")
COMMENT = re.compile(r"<!--\s*example\b.*")
EXAMPLE = re.compile(
    r"<!-- example: (?P<step>[a-z0-9-]+); file: (?P<file>[^;\s]+); "
    r"mode: (?P<mode>[a-z]+)(?:; find: (?P<find>.+?))? -->"
)
KEY = re.compile(r"^(\s*(?:-\s+)?[\w-]+):")

GROUND = (232, 232, 232)
EDGE = (190, 190, 190)
INK = (80, 80, 80)
MARK = (232, 23, 93)  # the outline round what a picture points at
GAP = 16
MAX_BYTES = 120_000


class ExampleError(Exception):
    """An example that cannot be read or applied, with its doc and line."""


@dataclass(frozen=True)
class Example:
    """One example block of a doc."""

    doc: str
    """The doc, relative to the repository (docs/tutorial.md)."""
    line: int
    """The line of the example comment."""
    step: str
    file: str
    """The file it writes, relative to the brochure's folder."""
    mode: str
    find: str | None
    text: str
    """The block's text, ending with a newline."""

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    def apply(self, folder: Path) -> None:
        """Apply this example to the brochure in ``folder``."""
        target = (folder / self.file).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise ExampleError(f"{self.where}: {self.file} lies outside the brochure's folder")
        if self.mode == "replace":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.text, encoding="utf-8")
            return
        if not target.is_file():
            raise ExampleError(f"{self.where}: {self.file} does not exist")
        old = target.read_text(encoding="utf-8")
        if self.mode == "append":
            new = old + ("" if old.endswith("\n") or not old else "\n") + self.text
        else:
            lines = old.splitlines(keepends=True)
            at = self._find(lines)
            block = self.text.splitlines(keepends=True)
            if self.mode == "insert":
                lines[at:at] = block
            else:
                self._check_keys(lines[at : at + len(block)], block)
                lines[at : at + len(block)] = block
            new = "".join(lines)
        target.write_text(new, encoding="utf-8")

    def _find(self, lines: list[str]) -> int:
        assert self.find is not None
        found = [n for n, line in enumerate(lines) if self.find in line]
        if len(found) != 1:
            raise ExampleError(
                f"{self.where}: {self.find!r} is on {len(found)} lines of {self.file} "
                "(expected exactly one)"
            )
        return found[0]

    def _check_keys(self, old: list[str], new: list[str]) -> None:
        if len(old) < len(new):
            raise ExampleError(f"{self.where}: the patch runs past the end of {self.file}")
        for was, now in zip(old, new, strict=True):
            key = KEY.match(was)
            if key and not now.startswith(key.group(1) + ":"):
                raise ExampleError(
                    f"{self.where}: the patch would replace {was.strip()!r} "
                    f"with {now.strip()!r} (expected the key {key.group(1).strip()!r})"
                )


def read_examples(doc: str) -> list[Example]:
    """Every example of ``doc`` (relative to the repository), in order."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    found = []
    for n, line in enumerate(lines):
        if not COMMENT.match(line.strip()):
            continue
        where = f"{doc}:{n + 1}"
        match = EXAMPLE.fullmatch(line.strip())
        if match is None:
            raise ExampleError(f"{where}: expected <!-- example: STEP; file: PATH; mode: MODE -->")
        mode, find = match["mode"], match["find"]
        if mode not in MODES:
            raise ExampleError(f"{where}: unknown mode {mode!r} (expected one of {MODES})")
        if (find is None) != (mode in ("replace", "append")):
            raise ExampleError(f"{where}: {mode} {'needs' if find is None else 'takes no'} find:")
        fence = lines[n + 1] if n + 1 < len(lines) else ""
        if not fence.startswith("```"):
            raise ExampleError(f"{where}: expected a fenced block on the next line")
        end = next((m for m in range(n + 2, len(lines)) if lines[m] == "```"), None)
        if end is None:
            raise ExampleError(f"{where}: the fenced block is not closed")
        text = "".join(f"{x}\n" for x in lines[n + 2 : end])
        found.append(Example(doc, n + 1, match["step"], match["file"], mode, find, text))
    return found


def examples_until(doc: str, step: str) -> list[Example]:
    """The examples to apply to show ``step`` of ``doc``: its own, and those of earlier steps."""
    steps = DOCS[doc]
    if step not in steps:
        raise ExampleError(f"{doc}: no step {step!r} (expected one of {steps})")
    chosen = []
    for example in read_examples(doc):
        if example.step not in steps:
            raise ExampleError(f"{example.where}: unknown step {example.step!r}")
        if steps.index(example.step) <= steps.index(step):
            chosen.append(example)
    return chosen


def prepare(doc: str, step: str, folder: Path) -> Path:
    """A new brochure in ``folder`` with the examples up to ``step`` applied; its content/."""
    new_brochure(folder)
    for example in examples_until(doc, step):
        example.apply(folder)
    return folder / "content"


# Pictures


def render(pdf: Path | bytes, dpi: float, pages: Sequence[int] | None = None) -> list[Image.Image]:
    """Pages of ``pdf`` (0-based numbers; all by default) as RGB images."""
    document = pdfium.PdfDocument(pdf)
    try:
        wanted = range(len(document)) if pages is None else pages
        return [document[n].render(scale=dpi / 72).to_pil().convert("RGB") for n in wanted]
    finally:
        document.close()


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(package_fonts_dir() / "SourceSans3-Regular.ttf"), size)


def sheet(
    images: Sequence[Image.Image],
    *,
    columns: int | None = None,
    labels: Sequence[str] | None = None,
    marked: Sequence[int] = (),
    gap: int = GAP,
    edges: bool = True,
) -> Image.Image:
    """``images`` in rows on a grey ground, each with a hairline edge and an optional label.

    The images numbered in ``marked`` (0-based) get a coloured outline instead.
    """
    columns = columns or len(images)
    rows = -(-len(images) // columns)
    cell_w = max(i.width for i in images)
    label_h = 24 if labels else 0
    cell_h = max(i.height for i in images) + label_h
    size = (gap + columns * (cell_w + gap), gap + rows * (cell_h + gap))
    out = Image.new("RGB", size, GROUND)
    draw = ImageDraw.Draw(out)
    for n, image in enumerate(images):
        x = gap + (n % columns) * (cell_w + gap) + (cell_w - image.width) // 2
        y = gap + (n // columns) * (cell_h + gap)
        if n in marked:
            draw.rectangle((x - 4, y - 4, x + image.width + 3, y + image.height + 3), fill=MARK)
        elif edges:
            draw.rectangle((x - 1, y - 1, x + image.width, y + image.height), outline=EDGE)
        out.paste(image, (x, y))
        if labels:
            centre = (x + image.width / 2, y + image.height + label_h / 2 + 2)
            draw.text(centre, labels[n], fill=INK, font=font(15), anchor="mm")
    return out


def text_box(pdf: Path | bytes, page: int, needle: str) -> tuple[float, float, float, float]:
    """The box round the first ``needle`` on ``page``: left, top, right, bottom in points
    from the page's top-left corner."""
    document = pdfium.PdfDocument(pdf)
    try:
        height = document[page].get_height()
        text = document[page].get_textpage()
        searcher = text.search(needle, match_case=True)
        hit = searcher.get_next()
        if hit is None:
            raise ExampleError(f"{needle!r} is not on page {page + 1}")
        start, count = hit
        rects = [text.get_rect(i) for i in range(text.count_rects(start, count))]
        searcher.close()
        text.close()
    finally:
        document.close()
    left = min(r[0] for r in rects)
    right = max(r[2] for r in rects)
    top = height - max(r[3] for r in rects)
    bottom = height - min(r[1] for r in rects)
    return left, top, right, bottom


def detail(
    pdf: Path | bytes,
    page: int,
    needle: str,
    *,
    lines_after: int = 0,
    dpi: float = 50,
    zoom: float = 130,
) -> Image.Image:
    """A page, with an outline round the paragraph that starts with ``needle``, and
    that paragraph enlarged beside it.

    The enlarged part runs across the text area, from the line of ``needle`` down
    ``lines_after`` more lines of about 13.5 pt.
    """
    document = pdfium.PdfDocument(pdf)
    width = document[page].get_width()
    document.close()
    left, top, _, bottom = text_box(pdf, page, needle)
    margin = 4.0
    box = (
        min(left, 40.0) - margin,
        top - margin,
        width - 40.0 + margin,
        bottom + lines_after * 13.5 + margin,
    )
    (small,) = render(pdf, dpi, [page])
    (large,) = render(pdf, zoom, [page])
    draw = ImageDraw.Draw(small)
    draw.rectangle([round(v * dpi / 72) for v in box], outline=MARK, width=2)
    crop = large.crop(tuple(round(v * zoom / 72) for v in box))
    framed = Image.new("RGB", (crop.width + 6, crop.height + 6), MARK)
    framed.paste(crop, (3, 3))
    size = (3 * GAP + small.width + framed.width, 2 * GAP + max(small.height, framed.height))
    out = Image.new("RGB", size, GROUND)
    out.paste(small, (GAP, GAP))
    y = min(max(GAP, GAP + round(box[1] * dpi / 72) - framed.height // 2), size[1] - framed.height)
    out.paste(framed, (2 * GAP + small.width, y))
    ImageDraw.Draw(out).rectangle(
        (GAP - 1, GAP - 1, GAP + small.width, GAP + small.height), outline=EDGE
    )
    return out


def screen(content: Path) -> Path:
    """Build the screen edition of ``content``; its path."""
    (out,) = build(content, content.parent / "build", ["screen"])
    return out.path


# What each picture shows: (file name, doc, step, draw). draw gets the content
# folder with the step applied and returns the picture.

Draw = Callable[[Path], Image.Image]


def _start(content: Path) -> Image.Image:
    return sheet(render(screen(content), 40))


def _text(content: Path) -> Image.Image:
    return detail(screen(content), 1, "Every course is", dpi=50)


def _colours(content: Path) -> Image.Image:
    return sheet(render(screen(content), 40))


def _pages(content: Path) -> Image.Image:
    pages = render(screen(content), 40)
    labels = [str(n) for n in range(1, len(pages) + 1)]
    new = [len(pages) - 3, len(pages) - 2]  # the two pages before the back cover
    return sheet(pages, columns=3, labels=labels, marked=new)


def _print(content: Path) -> Image.Image:
    (out,) = build(content, content.parent / "build", ["print"])
    return sheet(render(out.path, 40, [0, 1]))


def _booklet(content: Path) -> Image.Image:
    (out,) = build(content, content.parent / "build", ["booklet"])
    sides = render(out.path, 24)
    labels = [f"sheet {n // 2 + 1}, {'front' if n % 2 == 0 else 'back'}" for n in range(len(sides))]
    return sheet(sides, columns=2, labels=labels)


def _email(content: Path) -> Image.Image:
    from brochure.mail import email_command

    folder = content.parent
    recipients = folder / "recipients.csv"
    with recipients.open(encoding="utf-8", newline="") as rows:
        first = next(csv.DictReader(rows))
    email_command(content, folder / "build", recipients, environ={})
    data = (folder / "build" / "outbox" / f"{first['email']}.eml").read_bytes()
    message = email.message_from_bytes(data, policy=email.policy.default)
    (attachment,) = message.iter_attachments()
    pdf = attachment.get_content()
    return detail(pdf, 0, "Prepared for", lines_after=1, dpi=50, zoom=110)


def _content(content: Path) -> Image.Image:
    return sheet(render(screen(content), 50))


def _markup(content: Path) -> Image.Image:
    pdf = screen(content)
    document = pdfium.PdfDocument(pdf)
    count = len(document)
    document.close()
    return sheet(render(pdf, 60, [count - 2]))  # the new page, before the back cover


def _theme(content: Path) -> Image.Image:
    with tempfile.TemporaryDirectory() as scratch:
        new_brochure(Path(scratch))
        plain = screen(Path(scratch) / "content")
        before = render(plain, 36, [0, 1])
    after = render(screen(content), 36, [0, 1])
    pairs = [sheet(pages, gap=8) for pages in (before, after)]
    return sheet(pairs, labels=["before", "after"], gap=8, edges=False)


@dataclass(frozen=True)
class Picture:
    name: str
    doc: str
    step: str
    draw: Draw


PICTURES = (
    Picture("tutorial-start.png", "docs/tutorial.md", "start", _start),
    Picture("tutorial-text.png", "docs/tutorial.md", "change-text", _text),
    Picture("tutorial-colours.png", "docs/tutorial.md", "change-colours", _colours),
    Picture("tutorial-pages.png", "docs/tutorial.md", "add-page", _pages),
    Picture("tutorial-print.png", "docs/tutorial.md", "print", _print),
    Picture("tutorial-booklet.png", "docs/tutorial.md", "print", _booklet),
    Picture("tutorial-email.png", "docs/tutorial.md", "email", _email),
    Picture("content-example.png", "docs/content.md", "content-example", _content),
    Picture("markup-example.png", "docs/markup.md", "markup-example", _markup),
    Picture("theme-example.png", "docs/theme.md", "theme-example", _theme),
)


def png(image: Image.Image) -> bytes:
    """``image`` as a small PNG: 256 colours at most, which flat artwork needs no more than."""
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def make(picture: Picture) -> bytes:
    """The PNG bytes of ``picture``, drawn in a temporary brochure folder."""
    with tempfile.TemporaryDirectory() as scratch:
        content = prepare(picture.doc, picture.step, Path(scratch) / "my-brochure")
        return png(picture.draw(content))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these pictures (default: all)")
    args = parser.parse_args(argv)
    known = {p.name for p in PICTURES}
    unknown = sorted(set(args.names) - known)
    if unknown:
        parser.error(f"unknown picture {unknown[0]!r} (expected one of {sorted(known)})")
    IMG.mkdir(exist_ok=True)
    for picture in PICTURES:
        if args.names and picture.name not in args.names:
            continue
        try:
            data = make(picture)
        except ExampleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        (IMG / picture.name).write_bytes(data)
        note = "" if len(data) <= MAX_BYTES else f"  (over {MAX_BYTES // 1000} KB!)"
        print(f"wrote docs/img/{picture.name}  {len(data) / 1000:.1f} KB{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
