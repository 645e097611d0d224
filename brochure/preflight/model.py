"""The values a preflight produces: findings, checks and the report that holds them.

Input: what each check module found. Output: frozen :class:`Check` and
:class:`Report` values, which :mod:`.report` writes as a table or as JSON.
A check's status is the worst status among its findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Check", "Finding", "Report", "Status", "Value", "page_phrase", "pages_do"]

Value = str | int | float | bool | None | Sequence["Value"] | Mapping[str, "Value"]
"""A measurement a check reports, as it appears in the JSON report."""


class Status(StrEnum):
    """How a check came out, in rising order of concern."""

    PASS = "pass"
    SKIP = "skip"
    """The check could not run (a tool is missing); it neither passes nor fails the file."""
    WARN = "warn"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        return list(Status).index(self)


@dataclass(frozen=True)
class Finding:
    """One thing a check says about the file."""

    status: Status
    """Whether this is fine, worth a look, or stops the job."""
    message: str
    """In words a print buyer understands, naming pages and measured values."""
    pages: tuple[int, ...] = ()
    """The 1-based pages it concerns; empty when it concerns the whole file."""


@dataclass(frozen=True, eq=False)
class Check:
    """One named check and everything it found."""

    name: str
    """Stable identifier, such as ``fonts`` or ``ink-coverage``."""
    findings: tuple[Finding, ...]
    """At least one: a passing check carries one ``pass`` finding saying what it saw."""
    values: Mapping[str, Value] = field(default_factory=dict)
    """Measurements behind the findings (per page values have string page-number keys)."""

    @property
    def status(self) -> Status:
        return max((f.status for f in self.findings), key=lambda s: s.rank)

    @property
    def message(self) -> str:
        """The findings of the check's own status, joined: the one line a summary needs."""
        return "; ".join(f.message for f in self.findings if f.status == self.status)

    @property
    def pages(self) -> tuple[int, ...]:
        """The pages named by the findings of the check's own status."""
        return tuple(sorted({p for f in self.findings if f.status == self.status for p in f.pages}))


@dataclass(frozen=True, eq=False)
class Report:
    """The preflight of one PDF file."""

    file: str
    """The file as it was given."""
    pages: int
    """How many pages it has."""
    checks: tuple[Check, ...]
    """In a fixed order, so that reports of two files line up."""

    @property
    def passed(self) -> bool:
        """True when no check failed; warnings and skipped checks do not fail a file."""
        return all(c.status is not Status.FAIL for c in self.checks)

    def count(self, status: Status) -> int:
        """How many checks came out with ``status``."""
        return sum(1 for c in self.checks if c.status is status)


def page_phrase(pages: Iterable[int]) -> str:
    """``page 3`` or ``pages 1–4, 7``: page numbers as a person writes them."""
    numbers = sorted(set(pages))
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [
        str(r[0]) if len(r) == 1 else f"{r[0]}, {r[1]}" if len(r) == 2 else f"{r[0]}–{r[-1]}"
        for r in runs
    ]
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(parts)


def pages_do(pages: Iterable[int], one: str, many: str) -> str:
    """``page 2 uses`` or ``pages 1–3 use``: the pages as the subject of a verb."""
    numbers = set(pages)
    return f"{page_phrase(numbers)} {one if len(numbers) == 1 else many}"
