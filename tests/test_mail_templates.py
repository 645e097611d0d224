"""Email templates: package defaults, the content's own, sandboxing and errors at their line."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from brochure.errors import MailError
from brochure.mail.message import Sender
from brochure.mail.recipients import Recipient
from brochure.mail.templates import Templates
from brochure.project import Project
from brochure.validate import read_content, read_theme

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def person(row: int, name: str, email: str, **more: str) -> Recipient:
    return Recipient(row, name, email, MappingProxyType({"name": name, "email": email, **more}))


@pytest.fixture(scope="module")
def common() -> dict[str, Any]:
    project = Project(CONTENT)
    theme, fonts = read_theme(project)
    brochure = read_content(project, theme, fonts).brochure
    return {
        "brochure": brochure,
        "sender": Sender("HSMC", "hsmc@example.org"),
        "attachment": "hsmc-prospectus.pdf",
    }


def content_with(tmp_path: Path, **templates: str) -> Path:
    folder = tmp_path / "content" / "email"
    folder.mkdir(parents=True)
    for name, text in templates.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return tmp_path / "content"


def test_defaults_render_a_personal_email(common: dict[str, Any]) -> None:
    """Without templates in the content, the package's greet by name and name the brochure."""
    (out,) = Templates(CONTENT).render_all(
        [person(2, "Siân Llŵyd", "sian@example.org", organisation="Bwrdd Iechyd")],
        common,
        "recipients.csv",
    )
    assert out.subject == "Health Services Management Centre – Prospectus"
    assert out.text.startswith(
        "Dear Siân Llŵyd,\n\nPlease find attached your copy of the "
        "Health Services Management Centre prospectus, prepared for "
        "Bwrdd Iechyd.\n"
    )
    assert out.text.rstrip().endswith("With best wishes,\n\nHSMC")
    assert "<p>Dear Siân Llŵyd,</p>" in out.html


def test_defaults_work_without_an_organisation_column(common: dict[str, Any]) -> None:
    """A list with only name and email still renders the default templates."""
    (out,) = Templates(CONTENT).render_all([person(2, "Ann", "ann@example.org")], common, "r.csv")
    assert "prepared for" not in out.text


def test_content_templates_override_defaults(tmp_path: Path, common: dict[str, Any]) -> None:
    """A template in content/email/ replaces the package's; the others stay the defaults."""
    content = content_with(
        tmp_path, subject_txt_j2="For {{ recipient.name }} ({{ recipient.role }})\n"
    )
    (out,) = Templates(content).render_all(
        [person(2, "Ann", "ann@example.org", role="Chair")], common, "r.csv"
    )
    assert out.subject == "For Ann (Chair)"
    assert out.text.startswith("Dear Ann,")


def test_html_escapes_values(common: dict[str, Any]) -> None:
    """Names are escaped in the HTML body but written as they are in the plain text."""
    (out,) = Templates(CONTENT).render_all(
        [person(2, "Ann <b>&</b> Co", "ann@example.org")], common, "r.csv"
    )
    assert "Ann &lt;b&gt;&amp;&lt;/b&gt; Co" in out.html
    assert "Dear Ann <b>&</b> Co," in out.text


def test_unknown_column_reported_at_template_line_once(
    tmp_path: Path, common: dict[str, Any]
) -> None:
    """A misspelt column is an error at its template line, once for all the rows it hits."""
    content = content_with(
        tmp_path, body_txt_j2="Dear {{ recipient.name }},\n{{ recipient.organisaton }}\n"
    )
    people = [person(i, f"P{i}", f"p{i}@example.org", organisation="X") for i in range(2, 7)]
    with pytest.raises(MailError) as caught:
        Templates(content).render_all(people, common, "recipients.csv")
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        f"{content}/email/body.txt.j2:2: 'dict object' has no "
        "attribute 'organisaton' (the recipient list has columns: "
        "name, email, organisation) (for lines 2, 3, 4 and 2 more "
        "of recipients.csv)"
    )


def test_syntax_error_reported_before_rendering(tmp_path: Path) -> None:
    """A template that does not parse is reported with its file and line."""
    content = content_with(tmp_path, body_html_j2="<p>\n{% if %}\n")
    with pytest.raises(MailError) as caught:
        Templates(content)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{content}/email/body.html.j2:2: template syntax:")


def test_sandbox_blocks_python_internals(tmp_path: Path, common: dict[str, Any]) -> None:
    """Templates cannot reach Python internals (the sandbox refuses, reported as an error)."""
    content = content_with(tmp_path, subject_txt_j2="{{ brochure.__class__.__mro__ }}")
    with pytest.raises(MailError) as caught:
        Templates(content).render_all([person(2, "Ann", "a@example.org")], common, "r.csv")
    assert "unsafe" in str(caught.value) or "__class__" in str(caught.value)


def test_empty_subject_refused(tmp_path: Path, common: dict[str, Any]) -> None:
    """A subject template that renders to nothing is an error."""
    content = content_with(tmp_path, subject_txt_j2="{% if false %}x{% endif %}\n")
    with pytest.raises(MailError, match="the subject is empty"):
        Templates(content).render_all([person(2, "Ann", "a@example.org")], common, "r.csv")
