"""One error tree for everything a user can cause and fix.

Every error carries one or more :class:`Problem` values, each with a source
location, so that a run reports *all* its problems at once in the form
``content/brochure.yaml:14:5: pages[2].layout: expected one of ... (got 'x')``.
The command line maps :class:`BrochureError` to exit status 1 and prints no
traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BrochureError",
    "ContentError",
    "FinishError",
    "LayoutError",
    "Location",
    "MailError",
    "Problem",
    "TemplateError",
]


@dataclass(frozen=True, slots=True)
class Location:
    """Where in a source file something was written."""

    file: str
    """The file as the user would type it (relative to the working folder if possible)."""
    line: int | None = None
    """1-based line number, when known."""
    column: int | None = None
    """1-based column number, when known."""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, said where it is, what was expected and what was found."""

    message: str
    """What is wrong, in words the person editing the file understands."""
    location: Location | None = None
    """Where it is; ``None`` for problems that have no single place."""
    field: str = ""
    """The dotted path of the value, such as ``pages[2].title``."""

    def __str__(self) -> str:
        head = [str(self.location)] if self.location else []
        if self.field:
            head.append(self.field)
        return ": ".join([*head, self.message])


class BrochureError(Exception):
    """Base of every error a user can act on; holds one or more problems."""

    def __init__(self, *problems: Problem | str) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            p if isinstance(p, Problem) else Problem(p) for p in problems
        )
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[BrochureError], tuple[Problem, ...]]:
        # Keeps every problem, with its location, when raised in a worker process.
        return (type(self), self.problems)

    @classmethod
    def collect(cls, problems: Iterable[Problem]) -> None:
        """Raise ``cls`` with every problem given, if there are any."""
        found = tuple(problems)
        if found:
            raise cls(*found)


class ContentError(BrochureError):
    """The content, theme or recipient files say something we cannot use."""


class TemplateError(BrochureError):
    """A layout template failed to render or produced markup we cannot read."""


class LayoutError(BrochureError):
    """The pages cannot be laid out (something too big to fit, a missing glyph)."""


class FinishError(BrochureError):
    """Writing or finishing a PDF failed."""


class MailError(BrochureError):
    """Preparing or sending email failed."""
