"""Long prospectuses for the scaling runs: the peers' generated entries, in our format.

``/work/shared/anchors/long/make_long.py`` writes the peers' content (their
``content.yaml`` plus N programme entries of 80 words, with a fixed seed). The
same entries go into a copy of our HSMC content as one page of the
``programmes`` layout, before the back cover, so all three systems typeset
identical words.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ANCHORS = Path("/work/shared/anchors")
MAKE_LONG = ANCHORS / "long" / "make_long.py"


@dataclass(frozen=True)
class LongDoc:
    """One generated long prospectus, in both formats."""

    entries: int
    peer_yaml: Path
    """The peers' content (make_long.py's output); lies under the peers' project root."""
    content_dir: Path
    """Our content folder: brochure.yaml and theme.yaml."""


def make_long_doc(entries: int, peers_root: Path, work: Path, base: Path) -> LongDoc:
    """Generate ``entries`` programme entries for the peers and for us.

    ``peers_root`` is the peers' project root (their YAML must lie under it, for
    Typst); our content folder is made under ``work`` from our content in ``base``.
    """
    peer_yaml = peers_root / "long" / f"content_long_{entries}.yaml"
    peer_yaml.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(MAKE_LONG), "--entries", str(entries), "--out", str(peer_yaml)],
        check=True,
        capture_output=True,
    )
    peer = yaml.safe_load(peer_yaml.read_text(encoding="utf-8"))
    content_dir = work / f"long-{entries}" / "content"
    content_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(base / "theme.yaml", content_dir / "theme.yaml")
    ours = yaml.safe_load((base / "brochure.yaml").read_text(encoding="utf-8"))
    ours["pages"][-1:-1] = [programmes_page(peer["programmes"])]
    (content_dir / "brochure.yaml").write_text(
        yaml.safe_dump(ours, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return LongDoc(entries, peer_yaml, content_dir)


def programmes_page(programmes: dict[str, Any]) -> dict[str, Any]:
    """make_long.py's ``programmes`` mapping as a page of our ``programmes`` layout."""
    return {
        "layout": "programmes",
        "title": programmes["heading"],
        "blocks": [{"lead": programmes["intro"]}],
        "entries": [
            {"code": e["code"], "title": e["title"], "kind": e["kind"], "text": e["text"]}
            for e in programmes["entries"]
        ],
    }
