"""The recipient list: a CSV file -> validated :class:`Recipient` values.

Input: a CSV file with a header row (comma-, semicolon- or tab-separated,
UTF-8, with or without a byte-order mark). ``name`` and ``email`` are required
columns; every other column is kept for the email templates. Output: the
recipients in file order, or a :class:`~brochure.errors.ContentError` listing
every problem of the file as ``recipients.csv:ROW: field: what is wrong``,
where ROW is the line on which the record starts (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..errors import ContentError, Location, Problem

__all__ = ["REQUIRED", "Check", "Recipient", "read_recipients", "valid_address"]

REQUIRED = ("name", "email")
"""Columns every recipient list must have."""

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ONE_LINE = frozenset({"name", "email", "organisation"})


@dataclass(frozen=True)
class Recipient:
    """One row of the recipient list, checked."""

    row: int
    """The line of the CSV file on which this record starts (the header is line 1)."""
    name: str
    """The person's name, as it is printed on their cover and in the greeting."""
    email: str
    """Their address, as written (surrounding spaces removed)."""
    fields: Mapping[str, str] = field(compare=False, hash=False)
    """Every column of the row by its header name, ``name`` and ``email`` included."""

    @property
    def organisation(self) -> str:
        """The ``organisation`` column, or ``""`` when the list has none or it is empty."""
        return self.fields.get("organisation", "")

    @property
    def key(self) -> str:
        """The address as compared for duplicates and in the send log: lower-cased."""
        return self.email.lower()


Check = Callable[[Recipient], Iterable[tuple[str, str]]]
"""Further checks of a recipient; yields (field, message) for each problem."""


def valid_address(text: str) -> bool:
    """Whether ``text`` is a plain ASCII address such as ``name@example.org``."""
    return len(text) <= 254 and _ADDRESS.fullmatch(text) is not None


def read_recipients(path: Path, *, check: Check | None = None) -> tuple[Recipient, ...]:
    """Read and check every row of ``path``; raise :class:`ContentError` listing all problems."""
    where = str(path)
    text = _read_text(path)
    rows = _records(text, where)
    header_row = next(rows, None)
    if header_row is None:
        raise ContentError(
            Problem("the file is empty; expected a header such as name,email", Location(where, 1))
        )
    header, problems = _header(header_row[1], Location(where, header_row[0]))
    ContentError.collect(problems)
    recipients: list[Recipient] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        found = _row(header, line, values, where, seen, check)
        if isinstance(found, Recipient):
            recipients.append(found)
        else:
            problems.extend(found)
    if not recipients and not problems:
        problems.append(
            Problem("no recipients: the file has a header but no rows", Location(where, 1))
        )
    ContentError.collect(problems)
    return tuple(recipients)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(
            Problem(f"cannot read the recipient list: {exc.strerror}", Location(str(path)))
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            Problem(
                "expected UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')",
                Location(str(path), line),
            )
        ) from None


def _records(text: str, where: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, values) for each non-blank record."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # spreadsheets in some locales use ;
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                yield start, [v.strip() for v in values]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ContentError(
            Problem(f"cannot read this line as CSV: {exc}", Location(where, reader.line_num))
        ) from None


def _header(values: list[str], at: Location) -> tuple[list[str], list[Problem]]:
    """Column names, lower-cased with spaces and hyphens as underscores, and their problems."""
    names = [re.sub(r"[\s-]+", "_", v.lower()) for v in values]
    problems = []
    for i, name in enumerate(names, 1):
        if not name:
            problems.append(Problem(f"column {i} of the header has no name", at, "header"))
        elif names.index(name) < i - 1:
            problems.append(Problem(f"column {name!r} appears twice", at, "header"))
    missing = [r for r in REQUIRED if r not in names]
    if missing:
        problems.append(
            Problem(
                f"expected columns {' and '.join(REQUIRED)} (missing: {', '.join(missing)}; "
                f"found: {', '.join(values) or 'nothing'})",
                at,
                "header",
            )
        )
    return names, problems


def _row(
    header: list[str],
    line: int,
    values: list[str],
    where: str,
    seen: dict[str, int],
    check: Check | None,
) -> Recipient | list[Problem]:
    at = Location(where, line)
    if len(values) != len(header):
        return [Problem(f"expected {len(header)} fields as in the header (got {len(values)})", at)]
    fields = dict(zip(header, values, strict=True))
    problems = [Problem(message, at, name) for name, message in _check_fields(fields)]
    address = fields["email"].lower()
    if address in seen:
        problems.append(
            Problem(
                f"duplicate address {fields['email']!r} (first on line {seen[address]})",
                at,
                "email",
            )
        )
    elif fields["email"]:
        seen[address] = line
    if problems:
        return problems
    recipient = Recipient(line, fields["name"], fields["email"], MappingProxyType(fields))
    found = [Problem(message, at, name) for name, message in (check(recipient) if check else ())]
    return found or recipient


def _check_fields(fields: dict[str, str]) -> Iterator[tuple[str, str]]:
    for name in REQUIRED:
        if not fields[name]:
            yield name, "missing (every recipient needs a name and an email address)"
    for name, value in fields.items():
        # names and addresses go into headers and onto the cover: one line each
        bad = _CONTROL if name in _ONE_LINE else _CONTROL_IN_TEXT
        if bad.search(value):
            yield name, f"contains a control character or line break (got {value!r})"
    email = fields["email"]
    if email and not valid_address(email):
        yield "email", f"expected an address such as name@example.org (got {email!r})"
