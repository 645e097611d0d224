"""A :class:`~.model.Report` written for people (an aligned table) and for programs (JSON).

Input: a report. Output: text. The table wraps the detail column to the
width given; the JSON has sorted keys and checks in their fixed order, so
two reports of the same file are byte-identical.
"""

from __future__ import annotations

import json
import textwrap

from .model import Check, Report, Status

__all__ = ["format_table", "report_json"]

_LABEL = {Status.PASS: "pass", Status.SKIP: "skip", Status.WARN: "WARN", Status.FAIL: "FAIL"}


def format_table(report: Report, *, width: int = 100) -> str:
    """The report as a table of check, status and detail, one row per finding."""
    name_width = max(len("check"), *(len(c.name) for c in report.checks))
    status_width = max(len("status"), *(len(label) for label in _LABEL.values()))
    detail_width = max(30, width - name_width - status_width - 4)
    lines = [
        f"{report.file}: {report.pages} page{'s' if report.pages != 1 else ''}",
        "",
        f"{'check':<{name_width}}  {'status':<{status_width}}  detail",
        f"{'-' * name_width}  {'-' * status_width}  {'-' * min(detail_width, 40)}",
    ]
    indent = " " * (name_width + status_width + 4)
    for check in report.checks:
        name = check.name
        for finding in check.findings:
            wrapped = textwrap.wrap(finding.message, detail_width) or [""]
            lines.append(
                f"{name:<{name_width}}  {_LABEL[finding.status]:<{status_width}}  {wrapped[0]}"
            )
            lines.extend(indent + more for more in wrapped[1:])
            name = ""
    lines += ["", _verdict(report)]
    return "\n".join(lines)


def _verdict(report: Report) -> str:
    counts = [
        (report.count(Status.FAIL), "failed"),
        (report.count(Status.WARN), "warned"),
        (report.count(Status.SKIP), "not run"),
    ]
    said = ", ".join(f"{n} check{'s' if n != 1 else ''} {what}" for n, what in counts if n)
    return ("PASSED" if report.passed else "FAILED") + (f": {said}" if said else "")


def report_json(report: Report) -> str:
    """The report as JSON: the file, page count, verdict and every check with its findings."""
    return (
        json.dumps(
            {
                "file": report.file,
                "pages": report.pages,
                "passed": report.passed,
                "checks": [_check(c) for c in report.checks],
            },
            sort_keys=True,
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _check(check: Check) -> dict[str, object]:
    return {
        "name": check.name,
        "status": str(check.status),
        "message": check.message,
        "pages": list(check.pages),
        "values": check.values,
        "findings": [
            {"status": str(f.status), "message": f.message, "pages": list(f.pages)}
            for f in check.findings
        ],
    }
