"""The docs' examples work: each is applied to a new brochure, built, and its change found.

Examples are the fenced blocks marked ``<!-- example: STEP; file: PATH; mode: MODE -->``
in docs/tutorial.md, content.md, markup.md and theme.md. They are read and
applied by tools/make_docs_pictures.py, the same code that draws the docs'
pictures; what each test expects is read from the example itself, so a test
fails when an example is broken, and when the docs and the product disagree.
"""

from __future__ import annotations

import csv
import email
import email.policy
import importlib.util
import io
import re
import shlex
import ssl
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pypdfium2 as pdfium
import pytest
import trustme
import yaml
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, Session
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from brochure.build import build
from brochure.cli import _parser, main
from brochure.preflight import preflight

from .conftest import ROOT, letters, pdfium_text
from .test_mail_smtp import LocalServer
from .test_watch import watching


def _tool() -> ModuleType:
    path = ROOT / "tools" / "make_docs_pictures.py"
    spec = importlib.util.spec_from_file_location("make_docs_pictures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = _tool()

TUTORIAL = "docs/tutorial.md"
CHECKED = {
    TUTORIAL: {"change-text", "change-colours", "add-page", "print", "email"},
    "docs/content.md": {"content-example"},
    "docs/markup.md": {"markup-example"},
    "docs/theme.md": {"theme-example"},
}
"""The steps with examples that a test below checks."""

SHELL = re.compile(r"^```(?:sh|powershell)\n(.*?)^```", re.M | re.S)
TEXT = re.compile(r"^```text\n(.*?)^```", re.M | re.S)
COLOUR = re.compile(r"((?:-?[\d.]+\s+){2,3}-?[\d.]+)\s+(rg|RG|k|K)\b")
FONT_SIZE = re.compile(r"/\S+\s+([\d.]+)\s+Tf\b")


# Reading docs and PDFs


def doc_text(doc: str) -> str:
    return (ROOT / doc).read_text(encoding="utf-8")


def command(line: str) -> list[str]:
    """The arguments of a command written in the tutorial's shell blocks, exactly once."""
    lines = [x for b in SHELL.findall(doc_text(TUTORIAL)) for x in b.splitlines()]
    assert lines.count(line) == 1, f"the tutorial should show {line!r} once"
    return shlex.split(line)[1:]


def shown_after(line: str, nth: int = 0) -> list[str]:
    """The lines of the text block after ``line`` in the tutorial (or the nth after that)."""
    text = doc_text(TUTORIAL)
    blocks = list(TEXT.finditer(text, text.index(f"\n{line}\n")))
    assert len(blocks) > nth, f"no output shown after {line!r}"
    return blocks[nth].group(1).splitlines()


def printed(capsys: Any) -> list[str]:
    """What the terminal showed since the last call: progress (stderr), then the result."""
    out, err = capsys.readouterr()
    return [*err.splitlines(), *out.splitlines()]


def step_examples(doc: str, step: str) -> list[Any]:
    found = [e for e in tool.read_examples(doc) if e.step == step]
    assert found, f"{doc} has no example for {step}"
    return found


def block_yaml(example: Any) -> Any:
    """The example's YAML, as data (indentation removed)."""
    return yaml.safe_load(textwrap.dedent(example.text))


def starter_line(example: Any) -> str:
    """The line of the new brochure that a patch example changes."""
    text = (ROOT / "brochure" / "starter" / example.file).read_text(encoding="utf-8")
    (line,) = [x for x in text.splitlines() if example.find in x]
    return line


def words(value: Any, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every text in ``value`` (a YAML value), as the page prints it: links become their words.

    Mappings' values under the keys in ``skip`` are left out.
    """
    if isinstance(value, str):
        return [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", value)]
    if isinstance(value, dict):
        return [w for k, v in value.items() if k not in skip for w in words(v, skip)]
    if isinstance(value, list):
        return [w for v in value for w in words(v, skip)]
    return []


def squeezed(text: str) -> str:
    """Letters and digits only, in lower case: compares words across lines and capitals."""
    return letters(text).lower()


def streams(page: DictionaryObject) -> Iterator[bytes]:
    """The content stream of a page or form, then those of the forms it draws."""
    contents = page.get_contents() if hasattr(page, "get_contents") else page
    if contents is not None:
        yield contents.get_data()
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources else None
    for ref in (xobjects.get_object() if xobjects else {}).values():
        form = ref.get_object()
        if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
            yield from streams(form)


def colours(pdf: Path, page: int | None = None) -> set[tuple[float, ...]]:
    """The colours set by fill and stroke operators (rg, RG, k, K), on one page or all."""
    reader = PdfReader(pdf)
    pages = reader.pages if page is None else [reader.pages[page]]
    found = set()
    for p in pages:
        for data in streams(p):
            for numbers, _ in COLOUR.findall(data.decode("latin-1")):
                found.add(tuple(round(float(n), 3) for n in numbers.split()))
    return found


def font_sizes(pdf: Path) -> set[float]:
    """Every font size set (Tf) in the PDF."""
    reader = PdfReader(pdf)
    return {
        float(size)
        for p in reader.pages
        for data in streams(p)
        for size in FONT_SIZE.findall(data.decode("latin-1"))
    }


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


def cmyk(percentages: list[float]) -> tuple[float, ...]:
    return tuple(round(v / 100, 3) for v in percentages)


def has_colour(found: set[tuple[float, ...]], wanted: tuple[float, ...]) -> bool:
    return any(
        len(c) == len(wanted) and all(abs(a - b) <= 0.003 for a, b in zip(c, wanted, strict=True))
        for c in found
    )


def made(doc: str, step: str, folder: Path) -> Path:
    """A new brochure in ``folder`` with the doc's examples up to ``step``; its content/."""
    return tool.prepare(doc, step, folder)


def screen(content: Path) -> Path:
    (out,) = build(content, content.parent / "build", ["screen"])
    return out.path


# The convention itself


def test_every_example_is_well_formed_and_known() -> None:
    """Every example comment in docs/ parses, names a known step, and steps come in order."""
    for path in sorted((ROOT / "docs").glob("*.md")):
        doc = f"docs/{path.name}"
        if "<!-- example" not in path.read_text(encoding="utf-8"):
            continue
        assert doc in tool.DOCS, f"{doc} has examples but no steps in tools/make_docs_pictures.py"
        steps = tool.DOCS[doc]
        order = [steps.index(e.step) for e in tool.read_examples(doc) if e.step in steps]
        assert len(order) == len(tool.read_examples(doc)), f"{doc}: an example has no step"
        assert order == sorted(order), f"{doc}: examples are out of step order"


def test_every_step_with_examples_is_checked_here() -> None:
    """A new example step fails until a test in this file checks what it shows."""
    for doc in tool.DOCS:
        assert {e.step for e in tool.read_examples(doc)} == CHECKED[doc], doc


def test_broken_examples_are_refused(tmp_path: Path) -> None:
    """A malformed comment, a find that is not there, a patch that changes a key: all errors."""
    bad = tmp_path / "bad.md"
    bad.write_text("<!-- example: x; file: a.yaml -->\n```yaml\na: 1\n```\n", encoding="utf-8")
    with pytest.raises(tool.ExampleError, match="expected <!-- example"):
        tool.read_examples(str(bad))
    bad.write_text("<!-- example: x; file: a.yaml; mode: replace -->\nno fence\n")
    with pytest.raises(tool.ExampleError, match="fenced block"):
        tool.read_examples(str(bad))
    (tmp_path / "a.yaml").write_text("title: A\nslug: a\n", encoding="utf-8")

    def example(mode: str, find: str | None, text: str) -> Any:
        return tool.Example("bad.md", 1, "x", "a.yaml", mode, find, text)

    with pytest.raises(tool.ExampleError, match="on 0 lines"):
        example("patch", "subtitle:", "subtitle: B\n").apply(tmp_path)
    with pytest.raises(tool.ExampleError, match="expected the key 'slug'"):
        example("patch", "title:", "title: B\nslag: b\n").apply(tmp_path)
    with pytest.raises(tool.ExampleError, match="outside"):
        tool.Example("bad.md", 1, "x", "../a.yaml", "replace", None, "").apply(tmp_path)
    example("patch", "title:", "title: B\n").apply(tmp_path)
    example("insert", "slug:", "subtitle: C\n").apply(tmp_path)
    example("append", None, "author: D\n").apply(tmp_path)
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert text == "title: B\nsubtitle: C\nslug: a\nauthor: D\n"


def test_documented_commands_parse() -> None:
    """Every brochure command shown in the docs is one the command line accepts."""
    parser = _parser()
    shown = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        for block in SHELL.findall(path.read_text(encoding="utf-8")):
            shown += [x for x in block.splitlines() if x.startswith("brochure ")]
    assert len(shown) >= 8
    for line in shown:
        if line != "brochure --version":
            parser.parse_args(shlex.split(line)[1:])


def test_pictures_exist_are_small_and_are_drawn_by_the_tool() -> None:
    """Each picture the docs show is in docs/img, under 120 KB, and made by the tool."""
    shown = set()
    for path in (ROOT / "docs").glob("*.md"):
        shown |= set(re.findall(r"\]\(img/([^)]+)\)", path.read_text(encoding="utf-8")))
    drawn = {p.name for p in tool.PICTURES}
    assert shown == drawn
    assert {p.name for p in (ROOT / "docs" / "img").iterdir()} == drawn
    for name in drawn:
        assert (ROOT / "docs" / "img" / name).stat().st_size < 120_000, name
    for picture in tool.PICTURES:
        assert f"](img/{picture.name})" in doc_text(picture.doc)
        assert picture.step in tool.DOCS[picture.doc]


# The tutorial, step by step


def test_tutorial_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """brochure new, build and preview, as typed: the files the tutorial names are there."""
    monkeypatch.chdir(tmp_path)
    assert main(command("brochure new my-brochure")) == 0
    monkeypatch.chdir(tmp_path / "my-brochure")
    assert main(["build"]) == 0
    assert main(command("brochure preview")) == 0
    text = doc_text(TUTORIAL).split("## 2.", 1)[0]
    named = set(re.findall(r"(?:content|build)/[\w./-]+\.(?:yaml|pdf|png)", text))
    assert len(named) >= 5
    for name in named:
        assert Path(name).is_file(), name


def test_tutorial_change_text(tmp_path: Path) -> None:
    """The new title and paragraph are in the screen edition, and the old words are gone."""
    text = squeezed("".join(pdfium_text(screen(made(TUTORIAL, "change-text", tmp_path)))))
    for example in step_examples(TUTORIAL, "change-text"):
        for new in words(block_yaml(example)):
            assert squeezed(new) in text
        for old in words(yaml.safe_load(textwrap.dedent(starter_line(example)))):
            assert squeezed(old) not in text


def test_tutorial_change_text_while_watching(tmp_path: Path) -> None:
    """With brochure watch running, saving the change rebuilds the PDF with the new words."""
    content = made(TUTORIAL, "start", tmp_path)
    changes = step_examples(TUTORIAL, "change-text")
    wanted = [squeezed(w) for e in changes for w in words(block_yaml(e))]
    pdf = tmp_path / "build" / "harbour-lane-screen.pdf"

    def shows_change(result: Any) -> bool:
        return result.ok and all(w in squeezed("".join(pdfium_text(pdf))) for w in wanted)

    with watching(content, tmp_path / "build") as state:
        assert state.next().ok
        for example in changes:
            example.apply(tmp_path)
        state.next(shows_change)


def test_tutorial_change_colours(tmp_path: Path) -> None:
    """Each new colour is drawn: its RGB twin on screen, its CMYK values in print."""
    content = made(TUTORIAL, "change-colours", tmp_path)
    on_screen = colours(screen(content))
    (printed,) = build(content, tmp_path / "build", ["print"])
    in_print = colours(printed.path)
    (example,) = step_examples(TUTORIAL, "change-colours")
    new = block_yaml(example)
    assert set(new) == {"navy", "deep", "gold"}
    starter = yaml.safe_load((ROOT / "brochure" / "starter" / example.file).read_text("utf-8"))
    for name, colour in new.items():
        assert has_colour(on_screen, rgb(colour["rgb"])), name
        assert has_colour(in_print, cmyk(colour["cmyk"])), name
        assert not has_colour(on_screen, rgb(starter["colours"][name]["rgb"])), name


def test_tutorial_add_pages(tmp_path: Path) -> None:
    """The new pages come just before the back cover, each with all its words."""
    before = len(pdfium_text(screen(made(TUTORIAL, "change-colours", tmp_path / "before"))))
    pages = pdfium_text(screen(made(TUTORIAL, "add-page", tmp_path / "after")))
    (example,) = step_examples(TUTORIAL, "add-page")
    new = block_yaml(example)
    assert [p["layout"] for p in new] == ["article", "programmes"]
    assert len(pages) == before + len(new)
    for n, page in enumerate(new):
        text = squeezed(pages[before - 1 + n])
        for word in words(page, skip=frozenset({"layout"})):
            assert squeezed(word) in text, word
    back = pdfium_text(tmp_path / "before" / "build" / "harbour-lane-screen.pdf")[-1]
    assert squeezed(pages[-1]) == squeezed(back)  # the back cover is still last


def test_tutorial_print(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """The print edition passes preflight as shown; the booklet is padded, imposed on A4."""
    made(TUTORIAL, "print", tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["build"]) == 0
    built = capsys.readouterr()
    warning = next(x for x in TEXT.findall(doc_text(TUTORIAL)) if "warning: booklet" in x)
    assert warning.splitlines()[0] in built.err.splitlines()
    check = "brochure check build/harbour-lane-print.pdf"
    assert main(command(check)) == 0
    shown = [x for x in shown_after(check) if x != "..."]
    assert set(shown) <= set(capsys.readouterr().out.splitlines())
    print_pdf = Path(command(check)[-1])
    assert preflight(print_pdf).passed
    report = preflight(print_pdf, booklet=True)
    assert [c.name for c in report.checks if c.status == "fail"] == ["page-count"]
    booklet = PdfReader(tmp_path / "build" / "harbour-lane-booklet.pdf")
    assert len(booklet.pages) == 4  # two A4 sheets, printed on both sides
    for side in booklet.pages:
        width, height = float(side.mediabox.width), float(side.mediabox.height)
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 210)
    text = pdfium_text(tmp_path / "build" / "harbour-lane-booklet.pdf")
    assert sum(t.count("Notes") for t in text) >= 2


def recipients_of(folder: Path) -> list[dict[str, str]]:
    with (folder / "recipients.csv").open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


def test_tutorial_email_dry_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The dry run writes one .eml each to build/outbox, its cover prepared for that person."""
    made(TUTORIAL, "email", tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BROCHURE_MAIL_FROM", raising=False)
    dry_run = "brochure email recipients.csv"
    assert main(command(dry_run)) == 0
    assert printed(capsys) == shown_after(dry_run)
    people = recipients_of(tmp_path)
    outbox = tmp_path / "build" / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == sorted(f"{p['email']}.eml" for p in people)
    for person in people:
        data = (outbox / f"{person['email']}.eml").read_bytes()
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert message["To"] == f"{person['name']} <{person['email']}>"
        (attachment,) = message.iter_attachments()
        pdf = tmp_path / "copy.pdf"
        pdf.write_bytes(attachment.get_content())
        cover = squeezed(pdfium_text(pdf)[0])
        expected = ", ".join(filter(None, (person["name"], person["organisation"])))
        assert squeezed(f"Prepared for {expected}") in cover


@pytest.fixture
def mail_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A local server that offers STARTTLS and wants the tutorial's user name and password."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    monkeypatch.setenv("SSL_CERT_FILE", str(cafile))
    login = {}
    for block in SHELL.findall(doc_text(TUTORIAL)):
        for line in block.splitlines():
            if line.startswith("export BROCHURE_SMTP_"):
                name, _, value = line.removeprefix("export ").partition("=")
                login[name] = shlex.split(value)[0]
                monkeypatch.setenv(name, login[name])
    assert set(login) == {"BROCHURE_SMTP_USER", "BROCHURE_SMTP_PASSWORD"}

    def authenticate(
        server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        user, password = data.login.decode(), data.password.decode()
        return AuthResult(
            success=(user, password)
            == (login["BROCHURE_SMTP_USER"], login["BROCHURE_SMTP_PASSWORD"])
        )

    running = LocalServer(
        tls_context=context, require_starttls=True, auth_required=True, authenticator=authenticate
    )
    yield running
    running.stop()


def test_tutorial_email_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, mail_server: LocalServer
) -> None:
    """The send command as shown (to a local server) reaches everyone; run again, nobody twice."""
    made(TUTORIAL, "email", tmp_path)
    monkeypatch.chdir(tmp_path)
    send = next(
        x
        for b in SHELL.findall(doc_text(TUTORIAL))
        for x in b.splitlines()
        if x.startswith("brochure email") and "--send" in x
    )
    argv = command(send)
    argv[argv.index("--smtp") + 1] = mail_server.address
    people = recipients_of(tmp_path)
    assert main(argv) == 0
    assert printed(capsys) == shown_after(send)
    inbox = mail_server.inbox.received
    assert sorted(r.rcpt_tos[0] for r in inbox) == sorted(p["email"] for p in people)
    assert all(r.tls and r.authenticated for r in inbox)
    sender = argv[argv.index("--from") + 1]
    assert {email.message_from_bytes(r.data)["From"] for r in inbox} == {sender}
    assert main(argv) == 0
    assert printed(capsys) == shown_after(send, 1)
    assert len(mail_server.inbox.received) == len(people)
    assert (tmp_path / "build" / "sendlog.sqlite").is_file()


# The references' worked examples


def test_content_example(tmp_path: Path) -> None:
    """The content reference's leaflet builds a page per entry, with every word on them."""
    content = made("docs/content.md", "content-example", tmp_path)
    (example,) = step_examples("docs/content.md", "content-example")
    data = block_yaml(example)
    pages = pdfium_text(screen(content))
    assert len(pages) == len(data["pages"])
    assert (content.parent / "build" / f"{data['slug']}-screen.pdf").is_file()
    text = squeezed("".join(pages))
    shown = [
        data["title"],
        data["subtitle"],
        *words(data["pages"], skip=frozenset({"layout", "name", "width"})),
        *words(data["figures"], skip=frozenset({"alt"})),
    ]
    for word in shown:
        assert squeezed(word) in text, word


def test_markup_example(tmp_path: Path) -> None:
    """The custom layout draws its page before the back cover: its words, ground and panel."""
    content = made("docs/markup.md", "markup-example", tmp_path)
    layout, page_example = step_examples("docs/markup.md", "markup-example")
    assert layout.file == "layouts/notice.xml.j2"
    (page,) = block_yaml(page_example)
    assert page["layout"] == "notice"
    pdf = screen(content)
    pages = pdfium_text(pdf)
    text = squeezed(pages[-2])
    for word in words(page, skip=frozenset({"layout"})):
        assert squeezed(word) in text, word
    defaults = yaml.safe_load((ROOT / "brochure" / "defaults" / "theme.yaml").read_text("utf-8"))
    starter = yaml.safe_load((content / "theme.yaml").read_text("utf-8"))
    palette = {**defaults["colours"], **starter["colours"]}
    drawn = colours(pdf, len(pages) - 2)
    for name in ("tint", "gold", "white"):
        assert f'"{name}"' in layout.text
        assert has_colour(drawn, rgb(palette[name]["rgb"])), name


def test_theme_example(tmp_path: Path) -> None:
    """The theme override's colours reach both editions, and its text sizes are used."""
    content = made("docs/theme.md", "theme-example", tmp_path)
    (example,) = step_examples("docs/theme.md", "theme-example")
    theme = block_yaml(example)
    pdf = screen(content)
    (printed,) = build(content, tmp_path / "build", ["print"])
    on_screen, in_print = colours(pdf), colours(printed.path)
    for name, colour in theme["colours"].items():
        assert has_colour(on_screen, rgb(colour["rgb"])), name
        assert has_colour(in_print, cmyk(colour["cmyk"])), name
    sizes = font_sizes(pdf)
    for name, style in theme["styles"].items():
        if "size" in style:
            assert float(style["size"].removesuffix("pt")) in sizes, name
    assert 22.0 not in sizes  # the default h1 size is gone
    outer = float(theme["page"]["margins"]["outer"].removesuffix("mm"))
    assert abs(text_left(pdf, 1) - outer) < 0.5  # page 2 is a left-hand page: outer on the left


def text_left(pdf: Path, page: int) -> float:
    """How far the leftmost character of a page is from its left edge, in millimetres."""
    document = pdfium.PdfDocument(pdf)
    try:
        text = document[page].get_textpage()
        chars = range(text.count_chars())
        lefts = [text.get_charbox(i)[0] for i in chars if text.get_text_range(i, 1).strip()]
        return min(lefts) / 72 * 25.4
    finally:
        document.close()


def test_pictures_are_drawn_the_same_each_time() -> None:
    """The tool draws a picture from its example as the same small PNG every time."""
    picture = next(p for p in tool.PICTURES if p.name == "markup-example.png")
    first, second = tool.make(picture), tool.make(picture)
    assert first == second
    assert len(first) < 120_000
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == "PNG" and image.width > 200
