"""The ``brochure`` command: each subcommand parses its options and calls one function.

Exit status: 0 on success, 1 when the content or the build has a problem
(printed as ``file:line: what is wrong``), 2 on a usage error. Heavy modules
are imported inside the commands, so ``brochure --help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import BrochureError, Problem

if TYPE_CHECKING:
    from .build import Output
    from .parallel import Worker

__all__ = ["main", "run"]

_one_shot = False
"""Set by :func:`run`: this is the ``brochure`` command's own process, which runs one
command and exits (and has no other threads, so it may fork finishing workers early)."""

EXAMPLES = """\
examples:
  brochure build                          build content/ into build/ (print + screen)
  brochure build --edition screen         only the screen edition
  brochure build --content my/content --out dist
  brochure figure virtuous-circle --format svg
  brochure new my-brochure                start a new brochure from an example
  brochure watch                          rebuild on every save
  brochure preview --dpi 150              PNG of each page, and a contact sheet
  brochure check build/hsmc-prospectus-print.pdf   preflight a PDF for the print shop
  brochure email recipients.csv           personalised copies as .eml files (dry run)
  brochure email recipients.csv --smtp mail.example.org:587 --send
"""


def _format_size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MB"


def _progress(args: argparse.Namespace) -> Callable[[str, float], None] | None:
    """With --verbose, one line per stage and its time (build, watch and preview alike)."""

    def progress(stage: str, seconds: float) -> None:
        print(f"  {stage:<22} {seconds * 1000:7.1f} ms", file=sys.stderr)

    return progress if args.verbose else None


def _print_outputs(outputs: Sequence[Output], *, quiet: bool) -> None:
    for out in outputs:
        for warning in out.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    if not quiet:
        for out in outputs:
            pages = f"{out.pages} page{'s' if out.pages != 1 else ''}"
            if out.edition == "booklet":
                pages += f" on {out.pages // 4} A4 sheet{'s' if out.pages > 4 else ''}"
            print(f"{out.path}  {pages}  {_format_size(out.size)}")


def _print_problems(exc: BrochureError) -> None:
    for problem in sorted(exc.problems, key=_where):
        print(f"error: {problem}", file=sys.stderr)
    if len(exc.problems) > 1:
        print(f"{len(exc.problems)} problems found.", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    with _build_worker(args) as worker:
        from .build import build

        outputs = build(
            args.content, args.out, args.edition, progress=_progress(args), worker=worker
        )
    _print_outputs(outputs, quiet=args.quiet)
    return 0


@contextlib.contextmanager
def _build_worker(args: argparse.Namespace) -> Iterator[Worker | None]:
    """In the command's own process, on two cores or more: a worker forked before anything
    heavy is imported. It reads and renders the brochure while this process imports
    ReportLab, then imports what finishing needs (pypdf) while this one lays out the pages,
    then finishes the editions."""
    from .parallel import Worker

    if not _one_shot or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        yield None
        return
    first = functools.partial(_read_and_render, args.content, args.edition)
    with Worker(_prepare_finishing, first=first) as worker:
        yield worker


def _read_and_render(
    content: Path, editions: list[str] | None, tell: Callable[[object], None]
) -> object:
    from .front import read_and_render_timed

    return read_and_render_timed(content, editions, ahead=lambda *told: tell(told))


def _prepare_finishing() -> None:
    import brochure.finish.jobs
    import brochure.impose  # noqa: F401
    from brochure.finish.edition import warm_up

    warm_up()


def cmd_new(args: argparse.Namespace) -> int:
    from .starter import new_brochure

    written = new_brochure(args.dir)
    if not args.quiet:
        for path in written:
            print(path)
        print(f"next: cd {args.dir} && brochure build", file=sys.stderr)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    import time

    from .watch import Rebuild, watch

    def report(result: Rebuild) -> None:
        now = time.strftime("%H:%M:%S")
        if result.error is not None:
            print(f"{now} build failed; the last good PDFs are unchanged", file=sys.stderr)
            _print_problems(result.error)
        else:
            print(f"{now} built in {result.seconds * 1000:.0f} ms", file=sys.stderr)
            _print_outputs(result.outputs, quiet=args.quiet)

    print(f"watching {args.content} (Ctrl-C to stop)", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how watching ends
        watch(args.content, args.out, args.edition, on_result=report, progress=_progress(args))
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import preview

    result = preview(args.content, args.out, dpi=args.dpi, progress=_progress(args))
    _print_outputs(result.outputs, quiet=args.quiet)
    if not args.quiet:
        print(f"{result.contact_sheet}  contact sheet of {len(result.pages)} pages")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import shutil

    from .preflight import format_table, preflight, report_json

    report = preflight(args.file, booklet=args.booklet)
    if args.json:
        sys.stdout.write(report_json(report))
    elif not args.quiet or not report.passed:
        print(format_table(report, width=shutil.get_terminal_size().columns))
    return 0 if report.passed else 1


def cmd_email(args: argparse.Namespace) -> int:
    from .errors import MailError
    from .mail import email_command, parse_rate

    try:
        rate = parse_rate(args.rate) if args.rate else None
    except ValueError as exc:
        raise MailError(Problem(f"--rate: {exc}")) from None
    say = None if args.quiet else (lambda line: print(line, file=sys.stderr))
    summary = email_command(
        args.content,
        args.out,
        args.recipients,
        smtp=args.smtp,
        send=args.send,
        ssl=args.ssl,
        rate=rate,
        sender=args.sender,
        progress=say,
    )
    for problem in summary.failures:
        print(f"error: {problem}", file=sys.stderr)
    if not args.quiet and args.send:
        print(
            f"sent {summary.sent}, sent before {summary.already_sent}, "
            f"refused {len(summary.failures)}"
        )
    elif not args.quiet:
        print(
            f"wrote {len(summary.written)} messages to {args.out / 'outbox'} "
            "(a dry run: add --send to deliver)"
        )
    return 0 if summary.ok else 1


def _dpi(text: str) -> int:
    value = int(text)
    if not 10 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"expected 10 to 1200 (got {value})")
    return value


def cmd_figure(args: argparse.Namespace) -> int:
    from .export import export_figure

    path = export_figure(
        args.content,
        args.name,
        args.format,
        args.out,
        width=args.width,
        cmyk=args.cmyk,
        dpi=args.dpi,
    )
    if not args.quiet:
        print(path)
    return 0


def _parser() -> argparse.ArgumentParser:
    from .editions import EDITIONS

    parser = argparse.ArgumentParser(
        prog="brochure",
        description="Build print-ready and screen PDF brochures from YAML content.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"brochure {__version__}")
    base = argparse.ArgumentParser(add_help=False)
    base.add_argument("--debug", action="store_true", help="show a traceback on errors")
    loud = base.add_mutually_exclusive_group()
    loud.add_argument("-v", "--verbose", action="store_true", help="time each stage")
    loud.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    common = argparse.ArgumentParser(add_help=False, parents=[base])
    common.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="folder holding brochure.yaml and theme.yaml (default: content)",
    )
    # build, watch and preview write into a folder; build and watch choose editions.
    writing = argparse.ArgumentParser(add_help=False, parents=[common])
    writing.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="where to write the PDFs (default: build)",
    )
    building = argparse.ArgumentParser(add_help=False, parents=[writing])
    building.add_argument(
        "--edition",
        action="append",
        choices=sorted(EDITIONS),
        metavar="NAME",
        help="only this edition (repeatable; default: the content's editions)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "build",
        parents=[building],
        help="build the PDF editions",
        description="Build the brochure's PDF editions.",
        epilog="editions:\n"
        + "\n".join(f"  {e.name:<8} {e.description}" for e in EDITIONS.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=cmd_build)

    p = sub.add_parser(
        "new",
        parents=[base],
        help="start a new brochure from an example",
        description="Write a starter brochure (content/, theme, README) into DIR.",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="where to start it (made if missing)")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser(
        "watch",
        parents=[building],
        help="build, then rebuild on every save",
        description="Build, then rebuild whenever the content, theme, layouts or fonts change.",
    )
    p.set_defaults(run=cmd_watch)

    p = sub.add_parser(
        "preview",
        parents=[writing],
        help="build, then render the pages as PNG",
        description="Build, then render each page of the screen edition as PNG into "
        "OUT/preview/, with a contact sheet of all pages.",
    )
    p.add_argument("--dpi", type=_dpi, default=96, metavar="N", help="resolution (default: 96)")
    p.set_defaults(run=cmd_preview)

    p = sub.add_parser(
        "figure",
        parents=[common],
        help="export a figure as SVG, PDF or PNG",
        description="Export one of the content's figures on its own.",
    )
    p.add_argument("name", help="the figure's name in the content's figures")
    p.add_argument("--format", choices=("svg", "pdf", "png"), default="svg")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="output file (default: build/NAME.FORMAT)"
    )
    p.add_argument(
        "--width",
        type=float,
        default=80.0,
        metavar="MM",
        help="drawn width in millimetres (default: 80)",
    )
    p.add_argument("--cmyk", action="store_true", help="CMYK colours (for print) instead of RGB")
    p.add_argument(
        "--dpi", type=_dpi, default=300, metavar="N", help="PNG resolution (default: 300)"
    )
    p.set_defaults(run=cmd_figure)

    p = sub.add_parser(
        "check",
        parents=[base],
        help="preflight any PDF for print",
        description="Preflight a PDF for print, as a print shop would: fonts, colour, "
        "PDF/X, boxes and bleed, safe zone, ink coverage, image resolution. Exit status 1 "
        "when something would stop a print job.",
    )
    p.add_argument("file", type=Path, metavar="FILE.pdf", help="the PDF to check (any PDF)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--booklet",
        action="store_true",
        help="check a print file meant to be folded into a booklet: its page count must be "
        "a multiple of 4 (not for brochure's own booklet edition, whose A4 sheets are "
        "already imposed)",
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser(
        "email",
        parents=[common],
        help="email each recipient a personalised copy (a dry run unless --send)",
        description="Email the screen edition to a list, each copy with 'Prepared for NAME' "
        "on its cover. Without --send, writes one .eml per recipient to OUT/outbox/. "
        "SMTP credentials come from BROCHURE_SMTP_USER and BROCHURE_SMTP_PASSWORD.",
    )
    p.add_argument(
        "recipients",
        type=Path,
        metavar="RECIPIENTS.csv",
        help="a header row with name and email; other columns go to the templates",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="build, outbox/ and send log (default: build)",
    )
    p.add_argument("--send", action="store_true", help="deliver over SMTP")
    p.add_argument(
        "--smtp",
        metavar="HOST:PORT",
        help="default localhost:25; without a port, 587 (465 with --ssl)",
    )
    p.add_argument(
        "--ssl",
        action="store_true",
        help="TLS from the first byte (default: STARTTLS when offered)",
    )
    p.add_argument("--rate", metavar="N/min", help="at most N messages a minute (also N/s, N/h)")
    p.add_argument(
        "--from",
        dest="sender",
        metavar="'NAME <ADDRESS>'",
        help="the sender (default: $BROCHURE_MAIL_FROM)",
    )
    p.set_defaults(run=cmd_email)
    return parser


def _where(problem: Problem) -> tuple[str, int, int]:
    loc = problem.location
    return (loc.file, loc.line or 0, loc.column or 0) if loc else ("", 0, 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BrochureError as exc:
        if args.debug:
            traceback.print_exc()
        _print_problems(exc)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in brochure, not in your files; run again with --debug "
            "and report what it prints.",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    """The ``brochure`` command: :func:`main`, then exit at once.

    Everything is written and closed by the time :func:`main` returns, so the
    interpreter's own teardown (freeing every object of a long build, which takes a
    tenth of a second or more) is skipped.
    """
    global _one_shot
    _one_shot = True
    # A build makes millions of short-lived objects and few cycles: with Python's default
    # thresholds (700, 10, 10) the collector walks the young objects every 700 allocations
    # and the whole heap every 70,000. Less often: 500 pages 2.45 -> 2.18 s, peak memory
    # 79 -> 85 MiB (bench/RESULTS.md).
    gc.set_threshold(20_000, 20, 20)
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
