"""Checks: total ink (C+M+Y+K) stays within what paper and press can take.

Input: the document (for Ghostscript to render) and its
:class:`~.content.PageScan` values. Output: two :class:`~.model.Check` values.

``ink-coverage`` renders each page's bleed box to CMYK with Ghostscript
(``tiff32nc``, 72 dpi, no anti-aliasing) and finds the darkest pixel: the
sum of its four channels in per cent. This sees everything as it will
separate: overlapping objects, images, RGB converted by Ghostscript's
default profiles. It fails above 300 %. Without Ghostscript the check reports
that it did not run; it never stops the preflight.

``ink-values`` is the fast complement: the richest CMYK colour any operator
paints with (``k``, ``K``, ``sc``/``scn`` in a process space), exact for
vector artwork but blind to images and overprinting.

Limits: spot colours are measured as their CMYK alternates; RGB and Lab are
measured after Ghostscript's own conversion, not the printer's; small areas
are averaged into 72 dpi pixels.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageMath

from .content import Ink, PageScan
from .model import Check, Finding, Status, Value, pages_do

__all__ = ["INK_LIMIT", "check_ink_coverage", "check_ink_values", "ghostscript"]

INK_LIMIT = 300.0
"""Per cent of total area coverage above which coated-paper offset printing smears and sets off."""
DPI = 72
TIMEOUT = 600
"""Seconds Ghostscript may take for the whole file."""


def ghostscript() -> str | None:
    """The Ghostscript executable on PATH, if there is one."""
    return next((p for name in ("gs", "gswin64c", "gswin32c") if (p := shutil.which(name))), None)


def check_ink_coverage(path: Path) -> Check:
    """Fail on pages whose rendered separations add up to more than 300 % anywhere."""
    gs = ghostscript()
    if gs is None:
        return _skipped("not run (Ghostscript not found)")
    try:
        peaks = _render_peaks(gs, path)
    except subprocess.CalledProcessError as exc:
        reason = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        return _skipped(
            f"not run (Ghostscript could not render the file: "
            f"{reason[-1] if reason else f'exit status {exc.returncode}'})"
        )
    except (subprocess.TimeoutExpired, OSError) as exc:
        return _skipped(f"not run (Ghostscript failed: {exc})")
    values: dict[str, Value] = {
        "max_percent": round(max(peaks, default=0.0), 1),
        "limit_percent": INK_LIMIT,
        "dpi": DPI,
        "pages": {str(n): round(p, 1) for n, p in enumerate(peaks, 1)},
    }
    over = [n for n, peak in enumerate(peaks, 1) if peak > INK_LIMIT + 0.5]
    if not over:
        return Check("ink-coverage", (Finding(Status.PASS, _peak_phrase(peaks)),), values)
    worst = max(over, key=lambda n: peaks[n - 1])
    said = (
        f"page {worst} has {peaks[worst - 1]:.0f} % total ink (limit {INK_LIMIT:.0f} %)"
        if len(over) == 1
        else f"{pages_do(over, 'has', 'have')} more than "
        f"{INK_LIMIT:.0f} % total ink (up to {peaks[worst - 1]:.0f} % on page {worst})"
    )
    return Check("ink-coverage", (Finding(Status.FAIL, said, tuple(over)),), values)


def _peak_phrase(peaks: list[float]) -> str:
    if not peaks:
        return "no pages rendered"
    worst = max(range(len(peaks)), key=lambda i: peaks[i])
    return f"total ink at most {peaks[worst]:.0f} % (page {worst + 1}; limit {INK_LIMIT:.0f} %)"


def _render_peaks(gs: str, path: Path) -> list[float]:
    """The highest total ink of each page, in per cent, rendered within its bleed box."""
    with tempfile.TemporaryDirectory(prefix="brochure-ink-") as folder:
        subprocess.run(
            [
                gs,
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-sDEVICE=tiff32nc",
                f"-r{DPI}",
                "-dUseBleedBox",
                "-dGraphicsAlphaBits=1",
                "-dTextAlphaBits=1",
                f"-sOutputFile={folder}/page-%05d.tif",
                "-f",
                str(path.resolve()),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
        return [_peak(page) for page in sorted(Path(folder).glob("page-*.tif"))]


def _peak(tiff: Path) -> float:
    with Image.open(tiff) as image:
        c, m, y, k = (band.convert("I") for band in image.convert("CMYK").split())
    total = ImageMath.lambda_eval(lambda b: b["c"] + b["m"] + b["y"] + b["k"], c=c, m=m, y=y, k=k)
    if not isinstance(total, Image.Image):
        raise TypeError(f"expected an image of ink totals (got {type(total).__name__})")
    _, high = total.getextrema()
    return float(high) * 100 / 255  # type: ignore[arg-type]  # one band: numbers, not pairs


def check_ink_values(scans: Iterable[PageScan]) -> Check:
    """Fail on CMYK colours, as set in the content, adding up to more than 300 %."""
    richest = {s.number: s.richest for s in scans if s.richest is not None}
    totals = {n: ink.total for n, ink in richest.items()}
    values: dict[str, Value] = {
        "pages": {
            str(n): {
                "colour_space": ink.space.label,
                "tints": [round(v * 100, 1) for v in ink.values],
                "total_percent": round(ink.total, 1),
            }
            for n, ink in richest.items()
        }
    }
    if not totals:
        return Check("ink-values", (Finding(Status.PASS, "no CMYK colours set"),), values)
    worst = max(totals, key=lambda n: totals[n])
    colour = _cmyk_phrase(richest[worst])
    over = sorted(n for n, t in totals.items() if t > INK_LIMIT + 0.5)
    if over:
        said = (
            f"{pages_do(over, 'paints', 'paint')} with more than {INK_LIMIT:.0f} % ink "
            f"(richest: {colour} = {totals[worst]:.0f} % on page {worst})"
        )
        return Check("ink-values", (Finding(Status.FAIL, said, tuple(over)),), values)
    said = f"the richest colour is {colour} = {totals[worst]:.0f} % (page {worst})"
    return Check("ink-values", (Finding(Status.PASS, said),), values)


def _cmyk_phrase(ink: Ink) -> str:
    """``C100 M75 Y0 K45`` for CMYK spaces; the space and its tints for process Separations."""
    if ink.space.label in ("DeviceCMYK", "ICCBased(N=4)", "CalCMYK"):
        return " ".join(f"{name}{v * 100:.0f}" for name, v in zip("CMYK", ink.values, strict=True))
    return f"{ink.space.label} " + "/".join(f"{v * 100:.0f}" for v in ink.values)


def _skipped(message: str) -> Check:
    return Check("ink-coverage", (Finding(Status.SKIP, message),))
