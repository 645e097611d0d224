"""The report as a terminal table and as JSON, and page numbers as people write them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from brochure.preflight import format_table, preflight, report_json
from brochure.preflight.model import page_phrase

from .pdfs import careless, print_ready


def test_table_columns_line_up(tmp_path: Path) -> None:
    """Every row starts its status and its detail at the same column, wrapped lines too."""
    table = format_table(preflight(careless(tmp_path / "r.pdf")), width=80)
    lines = table.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("check"))
    status_at, detail_at = lines[header].index("status"), lines[header].index("detail")
    rows = lines[header + 2 : -2]
    assert rows
    for row in rows:
        assert len(row) <= 80
        assert row[status_at - 2 : status_at] == "  " and row[detail_at - 2 : detail_at] == "  "
        assert row[detail_at] != " "
    assert lines[-1].startswith("FAILED: 4 checks failed")


def test_table_verdict_of_a_clean_file(tmp_path: Path) -> None:
    """A clean file's table ends PASSED, counting the warnings."""
    table = format_table(preflight(print_ready(tmp_path / "r.pdf")))
    assert re.search(r"^PASSED: 1 check warned", table, re.M)


def test_json_is_stable_and_complete(tmp_path: Path) -> None:
    """The JSON has sorted keys, every check with its fields, and is the same every run."""
    path = careless(tmp_path / "r.pdf")
    text = report_json(preflight(path))
    assert text == report_json(preflight(path))
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["passed"] is False and data["pages"] == 1
    colour = next(c for c in data["checks"] if c["name"] == "colour")
    assert {"name", "status", "message", "pages", "values", "findings"} <= colour.keys()
    assert (colour["status"], colour["pages"]) == ("fail", [1])


def _expand(phrase: str) -> list[int]:
    pages: list[int] = []
    for part in phrase.split(" ", 1)[1].split(", "):
        first, _, last = part.partition("–")
        pages.extend(range(int(first), int(last or first) + 1))
    return pages


@given(st.sets(st.integers(1, 60), min_size=1))
def test_page_phrase_names_every_page_once(pages: set[int]) -> None:
    """Any set of pages written as ranges reads back as the same pages, in order."""
    phrase = page_phrase(pages)
    assert phrase.startswith("page " if len(pages) == 1 else "pages ")
    assert _expand(phrase) == sorted(pages)
