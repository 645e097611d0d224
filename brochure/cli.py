"""The ``brochure`` command: each subcommand parses its options and calls one function.

Exit status: 0 on success, 1 when the content or the build has a problem
(printed as ``file:line: what is wrong``), 2 on a usage error. Heavy modules
are imported inside the commands, so ``brochure --help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import BrochureError, Problem

__all__ = ["main"]

EXAMPLES = """\
examples:
  brochure build                          build content/ into build/ (print + screen)
  brochure build --edition screen         only the screen edition
  brochure build --content my/content --out dist
  brochure figure virtuous-circle --format svg
"""


def _format_size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MB"


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    def progress(stage: str, seconds: float) -> None:
        print(f"  {stage:<22} {seconds * 1000:7.1f} ms", file=sys.stderr)

    outputs = build(
        args.content, args.out, args.edition, progress=progress if args.verbose else None
    )
    for out in outputs:
        for warning in out.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        for out in outputs:
            pages = f"{out.pages} page{'s' if out.pages != 1 else ''}"
            if out.edition == "booklet":
                pages += f" on {out.pages // 4} A4 sheet{'s' if out.pages > 4 else ''}"
            print(f"{out.path}  {pages}  {_format_size(out.size)}")
    return 0


def cmd_figure(args: argparse.Namespace) -> int:
    from .export import export_figure

    path = export_figure(
        args.content, args.name, args.format, args.out, width=args.width, cmyk=args.cmyk
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
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="folder holding brochure.yaml and theme.yaml (default: content)",
    )
    common.add_argument("--debug", action="store_true", help="show a traceback on errors")
    loud = common.add_mutually_exclusive_group()
    loud.add_argument("-v", "--verbose", action="store_true", help="time each stage")
    loud.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "build",
        parents=[common],
        help="build the PDF editions",
        description="Build the brochure's PDF editions.",
        epilog="editions:\n"
        + "\n".join(f"  {e.name:<8} {e.description}" for e in EDITIONS.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="where to write the PDFs (default: build)",
    )
    p.add_argument(
        "--edition",
        action="append",
        choices=sorted(EDITIONS),
        metavar="NAME",
        help="build only this edition (repeatable; default: the content's editions)",
    )
    p.set_defaults(run=cmd_build)

    p = sub.add_parser(
        "figure",
        parents=[common],
        help="export a figure as SVG or PDF",
        description="Export one of the content's figures on its own.",
    )
    p.add_argument("name", help="the figure's name in the content's figures")
    p.add_argument("--format", choices=("svg", "pdf"), default="svg")
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
    p.set_defaults(run=cmd_figure)
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
        for problem in sorted(exc.problems, key=_where):
            print(f"error: {problem}", file=sys.stderr)
        count = len(exc.problems)
        if count > 1:
            print(f"{count} problems found.", file=sys.stderr)
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
