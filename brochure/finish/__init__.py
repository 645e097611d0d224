"""Stage 5, finish: laid-out PDF bytes -> each finished edition, with pypdf.

Input: a :class:`~brochure.layout.LaidOut`, the document's :class:`Metadata`
and, for print, its :class:`OutputIntent`. Output: the bytes of each finished
PDF (:func:`brochure.finish.edition.finish`). Finishing never looks at content
or templates.

This package's own namespace holds only plain data, so that importing it does
not import pypdf: a build forks its finishing workers before pypdf is loaded,
and each loads it while the layout runs (see :mod:`brochure.parallel`).
"""

from __future__ import annotations

from .metadata import Metadata, OutputIntent

__all__ = ["Metadata", "OutputIntent"]
