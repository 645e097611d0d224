"""The recipient list: CSV reading and checking, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brochure.errors import ContentError
from brochure.mail.recipients import Recipient, read_recipients, valid_address


def write(tmp_path: Path, text: str, name: str = "recipients.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_recipients(path, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_reads_rows_with_extra_columns(tmp_path: Path) -> None:
    """Every row becomes a recipient; columns beyond name and email are kept for templates."""
    path = write(
        tmp_path,
        "name,email,organisation,role\n"
        "Siân Llŵyd,sian@example.org,Bwrdd Iechyd,Director\n"
        "Bjørn Østergård,bjorn@example.dk,,\n",
    )
    first, second = read_recipients(path)
    assert (first.row, first.name, first.email) == (2, "Siân Llŵyd", "sian@example.org")
    assert first.organisation == "Bwrdd Iechyd"
    assert first.fields["role"] == "Director"
    assert (second.row, second.organisation) == (3, "")


def test_header_is_normalised_and_bom_and_semicolons_accepted(tmp_path: Path) -> None:
    """A spreadsheet's export (BOM, semicolons, 'Email Address'-style headers) reads as written."""
    path = tmp_path / "recipients.csv"
    path.write_bytes("\ufeffName;EMAIL;Job Title\nAnna Nowak;anna@example.pl;Lekarz\n".encode())
    (anna,) = read_recipients(path)
    assert anna.name == "Anna Nowak"
    assert anna.fields["job_title"] == "Lekarz"


def test_every_problem_reported_with_its_line(tmp_path: Path) -> None:
    """A bad address, a missing name and a duplicate are all reported, each at its line."""
    path = write(
        tmp_path,
        "name,email\n"
        "Ann,ann@example.org\n"
        "Bob,bob@\n"
        ",carol@example.org\n"
        "Ann Again,ANN@example.org\n",
    )
    found = problems(path)
    assert found == [
        f"{path}:3: email: expected an address such as name@example.org (got 'bob@')",
        f"{path}:4: name: missing (every recipient needs a name and an email address)",
        f"{path}:5: email: duplicate address 'ANN@example.org' (first on line 2)",
    ]


def test_line_numbers_count_quoted_line_breaks(tmp_path: Path) -> None:
    """A quoted field running over two lines does not shift the line numbers after it."""
    path = write(
        tmp_path,
        "name,email,address\n"
        'Ann,ann@example.org,"1 High Street\nBirmingham"\n'
        "Bob,not-an-address,\n",
    )
    assert problems(path) == [
        f"{path}:4: email: expected an address such as name@example.org (got 'not-an-address')"
    ]


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    """Empty lines and rows of empty cells (spreadsheet leftovers) are not recipients."""
    path = write(tmp_path, "name,email\n\nAnn,ann@example.org\n,\n")
    assert [r.name for r in read_recipients(path)] == ["Ann"]


def test_missing_columns_refused(tmp_path: Path) -> None:
    """A header without name or email is refused, saying what it found."""
    path = write(tmp_path, "full name,address\nAnn,ann@example.org\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:1: header: expected columns name and email")
    assert "found: full name, address" in problem


def test_wrong_field_count_refused(tmp_path: Path) -> None:
    """A row with more or fewer fields than the header is an error, not a guess."""
    path = write(tmp_path, "name,email\nAnn,ann@example.org,extra\n")
    assert problems(path) == [f"{path}:2: expected 2 fields as in the header (got 3)"]


def test_line_break_in_name_refused(tmp_path: Path) -> None:
    """A name must be one line: it goes into a header and onto the cover."""
    path = write(tmp_path, 'name,email\n"Ann\nSmith",ann@example.org\n')
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:2: name: contains a control character or line break")


def test_empty_list_refused(tmp_path: Path) -> None:
    """A header with no rows is an error: sending to nobody is surely a mistake."""
    path = write(tmp_path, "name,email\n")
    assert problems(path) == [f"{path}:1: no recipients: the file has a header but no rows"]


def test_not_utf8_refused(tmp_path: Path) -> None:
    """A file in another encoding is refused with the line of the first bad byte."""
    path = tmp_path / "recipients.csv"
    path.write_bytes("name,email\nAnn,ann@example.org\nSøren,s@example.dk\n".encode("latin-1"))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3: expected UTF-8 text")


def test_extra_check_reported_per_row(tmp_path: Path) -> None:
    """Problems found by a further check (the cover's) come out at the row's line."""
    path = write(tmp_path, "name,email\nAnn,ann@example.org\nBob,bob@example.org\n")

    def check(r: Recipient) -> list[tuple[str, str]]:
        return [("name", "too long")] if r.name == "Bob" else []

    assert problems(path, check=check) == [f"{path}:3: name: too long"]


@pytest.mark.parametrize(
    "address",
    [
        "a@example.org",
        "first.last+tag@mail.example.co.uk",
        "o'brien@example.ie",
        "x_y-z@sub-domain.example.museum",
    ],
)
def test_valid_addresses(address: str) -> None:
    """Ordinary addresses are accepted."""
    assert valid_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "a",
        "a@",
        "@example.org",
        "a@example",
        "a b@x.org",
        "a@@x.org",
        "a@x..org",
        ".a@x.org",
        "Ann <a@x.org>",
        "zoë@example.org",
        "a@-x.org",
    ],
)
def test_invalid_addresses(address: str) -> None:
    """Addresses without a domain, with spaces, display names or non-ASCII are refused."""
    assert not valid_address(address)


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1)
    .map(str.strip)
    .filter(bool)
)
def test_any_printable_name_reads_back(name: str) -> None:
    """Any one-line name survives CSV quoting and reads back exactly."""
    import csv
    import io
    import tempfile

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["name", "email"], [name, "a@example.org"]])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        (recipient,) = read_recipients(path)
    assert recipient.name == name
