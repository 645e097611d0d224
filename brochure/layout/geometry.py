"""Where the trimmed page sits on the media: bleed and the room crop marks need."""

from __future__ import annotations

from dataclasses import dataclass

from ..theme import PageSetup
from ..units import MM

__all__ = ["MARK_GAP", "MARK_LENGTH", "Geometry"]

MARK_LENGTH = 5 * MM
MARK_GAP = 2 * MM  # clear space between the crop marks and the media edge


@dataclass(frozen=True)
class Geometry:
    """The page in points: trim size, bleed, and where the trim sits on the media."""

    setup: PageSetup
    bleed: float
    """0 for the screen edition."""
    marks: bool
    """Crop marks (and the room they need) around the bleed."""

    @property
    def width(self) -> float:
        return self.setup.width

    @property
    def height(self) -> float:
        return self.setup.height

    @property
    def offset(self) -> float:
        """Distance from the media edge to the trim edge."""
        return self.bleed + (MARK_LENGTH + MARK_GAP if self.marks else 0.0)

    @property
    def media(self) -> tuple[float, float]:
        return self.width + 2 * self.offset, self.height + 2 * self.offset

    def box(self, grow: float) -> tuple[float, float, float, float]:
        """The trim box grown by ``grow`` on each side, in media coordinates."""
        o = self.offset
        return o - grow, o - grow, o + self.width + grow, o + self.height + grow

    def frame_x(self, page: int) -> float:
        """Left edge of the text area: margins mirror on left-hand (even) pages."""
        m = self.setup.margins
        return m.outer if page % 2 == 0 else m.inner
