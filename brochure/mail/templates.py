"""Email text: recipients + the brochure -> one subject, plain-text body and HTML body each.

Input: the templates ``subject.txt.j2``, ``body.txt.j2`` and ``body.html.j2``,
each taken from ``content/email/`` when it is there and from the package's
``mail/defaults/`` otherwise. They run in Jinja2's immutable sandbox with
strict undefined values (a misspelt column is an error, not an empty string);
the HTML template is autoescaped. Output: a :class:`Rendered` per recipient, or
one :class:`~brochure.errors.MailError` listing every problem, each at its
template line, saying for which rows of the recipient list it happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import Location, MailError, Problem
from .recipients import Recipient

__all__ = ["DEFAULTS_DIR", "TEMPLATES", "Rendered", "Templates"]

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
"""The templates that come with brochure."""
TEMPLATES = ("subject.txt.j2", "body.txt.j2", "body.html.j2")
"""The template files, in the order they are rendered."""


@dataclass(frozen=True)
class Rendered:
    """One recipient's email, as words."""

    subject: str
    """One line, whitespace collapsed."""
    text: str
    """The plain-text body."""
    html: str
    """The HTML alternative."""


class Templates:
    """The email templates of one brochure, loaded and checked for syntax."""

    def __init__(self, content_dir: Path) -> None:
        self.folder = content_dir / "email"
        """Where the brochure's own templates are looked up first."""
        env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader([self.folder, DEFAULTS_DIR]),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(("html.j2",), default=False),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        problems: list[Problem] = []
        self._templates: dict[str, jinja2.Template] = {}
        for name in TEMPLATES:
            try:
                self._templates[name] = env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                where = Location(exc.filename or name, exc.lineno)
                problems.append(Problem(f"template syntax: {exc.message}", where))
        MailError.collect(problems)

    def files(self) -> list[Path]:
        """The template files in use, the brochure's own or the package's."""
        return [Path(t.filename or "") for t in self._templates.values()]

    def render_all(
        self, recipients: Sequence[Recipient], common: Mapping[str, Any], csv_name: str
    ) -> list[Rendered]:
        """Render every recipient's email; raise :class:`MailError` listing all problems.

        ``common`` holds the values every template sees (brochure, sender,
        attachment); each recipient's columns are added as ``recipient``. The same
        failure on many rows is reported once, with the rows it happened on.
        """
        rendered: list[Rendered] = []
        failures: dict[tuple[str, int | None, str], list[int]] = {}
        for recipient in recipients:
            try:
                rendered.append(self.render({**common, "recipient": dict(recipient.fields)}))
            except _Failed as exc:
                failures.setdefault((exc.file, exc.line, exc.message), []).append(recipient.row)
        MailError.collect(
            Problem(f"{message} ({_rows(rows, csv_name)})", Location(file, line))
            for (file, line, message), rows in failures.items()
        )
        return rendered

    def render(self, context: Mapping[str, Any]) -> Rendered:
        """One recipient's email; raises :class:`_Failed` at the template line that failed."""
        subject = " ".join(self._run("subject.txt.j2", context).split())
        if not subject:
            raise _Failed(
                self._templates["subject.txt.j2"].filename or "", None, "the subject is empty"
            )
        context = {**context, "subject": subject}
        text = self._run("body.txt.j2", context).strip("\n") + "\n"
        return Rendered(subject, text, self._run("body.html.j2", context))

    def _run(self, name: str, context: Mapping[str, Any]) -> str:
        template = self._templates[name]
        file = template.filename or name
        try:
            return template.render(context)
        except Exception as exc:  # a template is code the user wrote; any error is theirs
            message = (exc.message or "") if isinstance(exc, jinja2.TemplateError) else repr(exc)
            if isinstance(exc, jinja2.UndefinedError) and "'dict object'" in message:
                columns = ", ".join(context.get("recipient", {}))
                message = f"{message} (the recipient list has columns: {columns})"
            raise _Failed(file, _template_line(exc, file), message or type(exc).__name__) from None


class _Failed(Exception):
    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file, self.line, self.message = file, line, message


def _template_line(exc: BaseException, file: str) -> int | None:
    """The template line an error was raised on: Jinja2 maps its frames onto the template."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == file:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _rows(rows: list[int], csv_name: str) -> str:
    if len(rows) == 1:
        return f"for line {rows[0]} of {csv_name}"
    more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
    return f"for lines {', '.join(map(str, rows[:3]))}{more} of {csv_name}"
