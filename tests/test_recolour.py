"""The screen edition's colour rewrite: every CMYK and spot operator, never a string."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from brochure.finish.screen import recolour

LAID: Any = SimpleNamespace(
    screen_colours={(0.0, 0.0, 0.0, 1.0): (0.1, 0.2, 0.3)},
    spot_colours={"HSMC Gold": (1.0, 0.75, 0.0)},
)


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        # a theme colour becomes its twin; fill and stroke keep their roles
        (b"0 0 0 1 k\n0 0 0 1 K", b"0.1 0.2 0.3 rg\n0.1 0.2 0.3 RG"),
        # a colour outside the theme: the plain formula
        (b"q .5 0 0 .5 k Q", b"q 0.25 0.5 0.5 rg Q"),
        # text that reads like an operator is left alone, escaped parentheses included
        (b"(0 0 0 1 k) Tj 0 0 0 1 k", b"(0 0 0 1 k) Tj 0.1 0.2 0.3 rg"),
        (b"(a\\) 0 0 0 1 k) Tj", b"(a\\) 0 0 0 1 k) Tj"),
        (b"(a\\\\) 0 0 0 1 k (b) Tj", b"(a\\\\) 0.1 0.2 0.3 rg (b) Tj"),
        # a spot ink at a tint, its name with an escaped space
        (b"/HSMC#20Gold cs .5 scn", b"1 0.875 0.5 rg"),
        (b"/HSMC#20Gold CS 1 SCN", b"1 0.75 0 RG"),
        # inside a text object, between other operators, on one line
        (
            b"BT /F1 9 Tf 0 0 0 1 k (x) Tj 1 0 0 0 k (y) Tj ET",
            b"BT /F1 9 Tf 0.1 0.2 0.3 rg (x) Tj 0 1 1 rg (y) Tj ET",
        ),
        # not operators: a name, a longer word, operands glued to another token
        (b"/Mask k", b"/Mask k"),
        (b"1 0 0 0 kx", b"1 0 0 0 kx"),
        (b"x1 0 0 0 k", b"x1 0 0 0 k"),
        (b"0 0 1 k", b"0 0 1 k"),
    ],
)
def test_recolour(stream: bytes, expected: bytes) -> None:
    assert recolour(stream, LAID) == expected


def test_nothing_to_do_keeps_the_bytes() -> None:
    stream = b"q 1 0 0 1 10 10 cm BT (k K scn) Tj ET Q"
    assert recolour(stream, LAID) == stream
