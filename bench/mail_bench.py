"""Benchmark: 1,000 personalised copies, as a dry run (no SMTP), timed step by step.

Run from the checkout: ``python bench/mail_bench.py [--count N] [--content DIR]``.
It writes a recipient list of N made-up people (Welsh, Polish, Scandinavian and
other names, so the cover fonts get real work) into a temporary folder, runs
``brochure email`` without ``--send`` into that folder, and prints how long each
part took, the time per copy and the size of a copy. The brief: 1,000 copies in
at most 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import email
import email.policy
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brochure.mail import email_command  # noqa: E402

FIRST = [
    "Siân",
    "Dafydd",
    "Gwenllïan",
    "Paweł",
    "Małgorzata",
    "Bjørn",
    "Åse",
    "Søren",
    "Zoë",
    "José",
    "Ngozi",
    "Aoife",
    "Łukasz",
    "Ŵyn",
    "Émilie",
    "Jürgen",
]
LAST = [
    "Llŵyd",
    "ap Rhys",
    "Wróblewska",
    "Łukasiewicz",
    "Østergård",
    "Ærø",
    "Nordström",
    "O’Sullivan",
    "Müller",
    "García",
    "Okafor",
    "Nguyen",
    "Brzęczyszczykiewicz",
]
ORGANISATIONS = [
    "Bwrdd Iechyd Prifysgol Caerdydd a’r Fro",
    "Szpital Wojewódzki w Łodzi",
    "Region Hovedstaden",
    "NHS Birmingham and Solihull ICB",
    "",
    "Helse Sør-Øst",
    "Birmingham City Council",
]


def write_list(path: Path, count: int) -> None:
    """``count`` distinct recipients with made-up names and addresses."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "email", "organisation"])
        for i in range(count):
            name = f"{FIRST[i % len(FIRST)]} {LAST[i * 7 % len(LAST)]}"
            out.writerow(
                [name, f"person{i:05d}@example.org", ORGANISATIONS[i % len(ORGANISATIONS)]]
            )


def attachment_size(eml: Path) -> int:
    """Bytes of the PDF attached to the message in ``eml``."""
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    (part,) = message.iter_attachments()
    return len(part.get_payload(decode=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mail-bench-") as tmp:
        folder = Path(tmp)
        recipients = folder / "recipients.csv"
        write_list(recipients, args.count)
        marks: list[tuple[str, float]] = []
        start = time.perf_counter()
        summary = email_command(
            args.content,
            folder / "build",
            recipients,
            progress=lambda line: marks.append((line, time.perf_counter())),
            environ={"BROCHURE_MAIL_FROM": "HSMC <hsmc@example.org>"},
        )
        total = time.perf_counter() - start
        prepared = marks[0][1] - start
        sizes = [p.stat().st_size for p in summary.written]
        pdf = attachment_size(summary.written[0])
    per_copy = (total - prepared) / args.count
    print(f"recipients:                {args.count}")
    print(f"check, render, build once: {prepared:7.2f} s")
    print(f"stamp, compose and write:  {total - prepared:7.2f} s ({per_copy * 1000:.2f} ms a copy)")
    print(
        f"total:                     {total:7.2f} s ({total / args.count * 1000:.2f} ms a copy, "
        f"limit 10 s for 1,000)"
    )
    print(f"built PDF:                 {summary.edition.size / 1024:7.1f} KB")
    print(
        f"personalised PDF:          {pdf / 1024:7.1f} KB "
        f"(+{(pdf - summary.edition.size) / 1024:.1f} KB: the name, in subsets of two fonts)"
    )
    print(
        f"message (.eml):            {statistics.mean(sizes) / 1024:7.1f} KB on average "
        f"(the PDF in base64, and the text and HTML)"
    )
    return 0 if total <= 10 * args.count / 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
