"""brochure: print-ready and screen PDF prospectuses from YAML content and Jinja2 layouts.

The pipeline (see ARCHITECTURE.md): load -> validate -> render -> layout -> finish.
:func:`build` runs it; every problem a user can fix is a :class:`BrochureError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    BrochureError,
    ContentError,
    FinishError,
    LayoutError,
    Location,
    MailError,
    Problem,
    TemplateError,
)

__version__ = "0.1.0"

__all__ = [
    "BrochureError",
    "ContentError",
    "FinishError",
    "LayoutError",
    "Location",
    "MailError",
    "Output",
    "Problem",
    "TemplateError",
    "__version__",
    "build",
]

if TYPE_CHECKING:
    from .build import Output, build


def __getattr__(name: str) -> Any:
    # The pipeline imports ReportLab and pypdf; load it only when asked for,
    # so that `brochure --help` and error paths stay fast.
    if name in ("build", "Output"):
        from . import build as module

        return getattr(module, name)
    raise AttributeError(f"module 'brochure' has no attribute {name!r}")
