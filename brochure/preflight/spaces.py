"""Colour spaces as a print buyer sorts them: grey, RGB, CMYK, spot, Lab.

Input: a colour space as written in a PDF (a name such as ``/DeviceRGB``, a
resource name, or an array such as ``[/ICCBased 12 0 R]``) and the resources
it is looked up in. Output: a :class:`Space`. ICCBased spaces count by their
number of components (N=3 is RGB), Indexed spaces by their base, and
Separation or DeviceN spaces naming only process inks count as CMYK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pypdf.generic import ArrayObject, NameObject

__all__ = ["CMYK", "GRAY", "RGB", "Kind", "Space", "resolve"]

Kind = Literal["gray", "rgb", "cmyk", "spot", "lab", "pattern", "unknown"]

PROCESS_INKS = frozenset({"Cyan", "Magenta", "Yellow", "Black", "All", "None"})
"""Colorant names that print on the four process plates (All: registration; None: nothing)."""


@dataclass(frozen=True)
class Space:
    """A colour space, classified."""

    kind: Kind
    """Which inks it ends up as on press."""
    label: str
    """How it is written in a report: ``DeviceRGB``, ``ICCBased(N=3)``, ``Separation(Gold)``."""
    components: int
    """How many numbers set one colour in it."""
    base: Space | None = None
    """The underlying space of an Indexed or uncoloured Pattern space."""
    inks: tuple[str, ...] = ()
    """Spot colour names of a Separation or DeviceN space."""

    @property
    def initial(self) -> tuple[float, ...]:
        """The colour that ``cs`` sets: black in DeviceCMYK, full tint in a Separation."""
        if self.label == "DeviceCMYK":
            return (0.0, 0.0, 0.0, 1.0)
        full = self.label.startswith(("Separation(", "DeviceN("))
        return (1.0 if full else 0.0,) * self.components


GRAY = Space("gray", "DeviceGray", 1)
RGB = Space("rgb", "DeviceRGB", 3)
CMYK = Space("cmyk", "DeviceCMYK", 4)
_DEVICE = {
    "/DeviceGray": GRAY,
    "/G": GRAY,
    "/DeviceRGB": RGB,
    "/RGB": RGB,
    "/DeviceCMYK": CMYK,
    "/CMYK": CMYK,
    "/Pattern": Space("pattern", "Pattern", 1),
}
_BY_COMPONENTS: dict[int, Kind] = {1: "gray", 3: "rgb", 4: "cmyk"}


def resolve(spec: Any, resources: Any, depth: int = 0) -> Space:
    """The :class:`Space` that ``spec`` names, looking names up in ``resources``' /ColorSpace."""
    spec = spec.get_object() if hasattr(spec, "get_object") else spec
    if depth > 8:  # a colour space defined in terms of itself
        return Space("unknown", "circular colour space", 1)
    if isinstance(spec, NameObject):
        if spec in _DEVICE:
            return _DEVICE[spec]
        named = _lookup(resources, spec)
        return resolve(named, resources, depth + 1) if named is not None else _unknown(spec)
    if isinstance(spec, ArrayObject) and spec:
        return _family(spec, resources, depth)
    return _unknown(spec)


def _family(spec: ArrayObject, resources: Any, depth: int) -> Space:
    family = str(spec[0])
    if family == "/ICCBased":
        n = int(spec[1].get_object().get("/N", 0))
        return Space(_BY_COMPONENTS.get(n, "unknown"), f"ICCBased(N={n})", n)
    if family in ("/Indexed", "/I"):
        base = resolve(spec[1], resources, depth + 1)
        return Space(base.kind, f"Indexed({base.label})", 1, base=base)
    if family in ("/Separation", "/DeviceN"):
        return _colorants(family[1:], spec[1], resources)
    if family == "/Pattern":
        under = resolve(spec[1], resources, depth + 1) if len(spec) > 1 else None
        return Space("pattern", "Pattern", under.components if under else 1, base=under)
    if family in ("/CalRGB", "/CalGray", "/Lab", "/CalCMYK"):
        kinds: dict[str, tuple[Kind, int]] = {
            "/CalRGB": ("rgb", 3),
            "/CalGray": ("gray", 1),
            "/Lab": ("lab", 3),
            "/CalCMYK": ("cmyk", 4),
        }
        kind, n = kinds[family]
        return Space(kind, family[1:], n)
    if len(spec) == 1:
        return resolve(spec[0], resources, depth + 1)
    return _unknown(family)


def _colorants(family: str, names: Any, resources: Any) -> Space:
    names = names.get_object()
    colorants = [str(n)[1:] for n in (names if isinstance(names, ArrayObject) else [names])]
    inks = tuple(n for n in colorants if n not in PROCESS_INKS)
    return Space(
        "spot" if inks else "cmyk", f"{family}({', '.join(colorants)})", len(colorants), inks=inks
    )


def _lookup(resources: Any, name: str) -> Any:
    if resources is None:
        return None
    spaces = resources.get_object().get("/ColorSpace")
    return spaces.get_object().get(name) if spaces is not None else None


def _unknown(spec: Any) -> Space:
    return Space("unknown", str(spec), 1)
