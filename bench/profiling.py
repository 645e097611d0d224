"""Profiles for ``bench/run.py``: ``python -X importtime`` summaries and pyinstrument runs.

Raw profiles go to ``bench/profiles/`` as text; the summaries become the
"Profile" section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from profile_child import CATEGORIES, IMPORTS

BENCH = Path(__file__).resolve().parent
CHILD = BENCH / "profile_child.py"
STDLIB = "(stdlib)"


# -- python -X importtime ---------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """One line of ``-X importtime``: a module, its own time and its time with what it imports."""

    name: str
    depth: int
    self_us: int
    cumulative_us: int

    @property
    def package(self) -> str:
        root = self.name.split(".")[0]
        return STDLIB if root in sys.stdlib_module_names or root.startswith("_") else root


@dataclass
class PackageImports:
    """What importing one top-level package costs, by its modules' own (self) times."""

    package: str
    modules: int = 0
    self_us: int = 0
    importers: dict[str, int] = field(default_factory=dict)
    """Who pulls it in: the package of the nearest importing module outside it -> self µs."""


def parse_importtime(stderr: str) -> list[Imported]:
    """The module lines of ``-X importtime`` output, in the order Python wrote them."""
    lines = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        indent = len(name) - len(name.lstrip(" "))
        lines.append(Imported(name.strip(), (indent - 1) // 2, int(self_us), int(cumulative_us)))
    return lines


def by_package(lines: Sequence[Imported]) -> dict[str, PackageImports]:
    """Self time summed per top-level package (stdlib together), with who imports each."""
    packages: dict[str, PackageImports] = {}
    stack: list[str] = []  # packages of the ancestors, outermost first
    # importtime writes a module after everything it imports: reversed, parents come first
    for line in reversed(lines):
        del stack[line.depth :]
        importer = next((p for p in reversed(stack) if p != line.package), "(top level)")
        entry = packages.setdefault(line.package, PackageImports(line.package))
        entry.modules += 1
        entry.self_us += line.self_us
        entry.importers[importer] = entry.importers.get(importer, 0) + line.self_us
        stack.append(line.package)
    return packages


@dataclass(frozen=True)
class ImportSummary:
    runs: int
    total_ms: float
    """Median over runs of the sum of every module's self time."""
    packages: list[tuple[str, int, float, str]]
    """(package, modules, median self ms, main importers), most expensive first."""
    top: list[Imported]
    """The run with the median total: its most expensive imports, by cumulative time."""
    own: list[Imported]
    """The same run's most expensive modules by their own time."""


def import_summary(command: Sequence[str], runs: int, raw: Path) -> ImportSummary:
    """Run ``command`` (a Python command line) ``runs`` times under ``-X importtime``."""
    python, *rest = command
    parsed: list[list[Imported]] = []
    for _ in range(runs):
        done = subprocess.run(
            [python, "-X", "importtime", *rest], capture_output=True, text=True, check=False
        )
        parsed.append(parse_importtime(done.stderr))
    totals = [sum(i.self_us for i in lines) for lines in parsed]
    median_run = parsed[totals.index(sorted(totals)[len(totals) // 2])]
    per_run = [by_package(lines) for lines in parsed]
    names = {name for run in per_run for name in run}
    rows = []
    for name in names:
        self_ms = statistics.median(
            run[name].self_us / 1000 if name in run else 0.0 for run in per_run
        )
        ref = by_package(median_run).get(name) or per_run[0][name]
        importers = sorted(ref.importers.items(), key=lambda kv: -kv[1])
        rows.append((name, ref.modules, self_ms, ", ".join(k for k, _ in importers[:2])))
    rows.sort(key=lambda row: -row[2])
    top = sorted(median_run, key=lambda i: -i.cumulative_us)
    raw.write_text(_importtime_text(command, median_run, rows), encoding="utf-8")
    own = sorted(median_run, key=lambda i: -i.self_us)
    return ImportSummary(runs, statistics.median(totals) / 1000, rows, top[:15], own[:15])


def _importtime_text(
    command: Sequence[str], lines: Sequence[Imported], rows: Sequence[tuple[str, int, float, str]]
) -> str:
    out = [
        "python -X importtime: " + " ".join(Path(arg).name for arg in command[1:]),
        "",
        "Self time per top-level package (median of runs), with who imports it:",
        f"{'package':<20} {'modules':>7} {'self ms':>8}  imported by",
    ]
    out += [f"{name:<20} {mods:>7} {ms:>8.1f}  {by}" for name, mods, ms, by in rows]
    out += [
        "",
        "The 60 most expensive imports of the median run, by cumulative time (µs):",
        f"{'self':>8} {'cumul.':>8}  module (indented by depth)",
    ]
    for line in sorted(lines, key=lambda i: -i.cumulative_us)[:60]:
        out.append(f"{line.self_us:>8} {line.cumulative_us:>8}  {'  ' * line.depth}{line.name}")
    return "\n".join(out) + "\n"


# -- pyinstrument ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """Seconds per category of one profiled scenario (per build, for warm rebuilds)."""

    name: str
    total: float
    categories: dict[str, float]
    text: Path

    def part(self, label: str) -> float:
        return self.categories.get(label, 0.0)


def profile(
    name: str,
    mode: str,
    content: Path,
    out: Path,
    editions: Sequence[str],
    text: Path,
    *,
    repeat: int = 1,
    runs: int = 20,
) -> Profile | str:
    """Profile a build ``repeat`` times (median per category); keep the last text tree.

    Returns the error output instead when the profiled build fails.
    """
    results = []
    for _ in range(repeat):
        command = [sys.executable, str(CHILD), mode, "--content", str(content), "--out", str(out)]
        command += ["--text", str(text), "--runs", str(runs)]
        command += [arg for e in editions for arg in ("--edition", e)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            return done.stderr.strip()[-2000:]
        results.append(json.loads(done.stdout))
    per = results[0]["runs"]
    categories: dict[str, list[float]] = defaultdict(list)
    for result in results:
        for label, seconds in result["categories"].items():
            categories[label].append(seconds / per)
    return Profile(
        name,
        statistics.median(r["total"] / per for r in results),
        {label: statistics.median(values) for label, values in categories.items()},
        text,
    )


@dataclass(frozen=True)
class Share:
    """A disjoint part of a profile: ``label`` took ``seconds``."""

    label: str
    seconds: float


def leaves(p: Profile) -> list[Share]:
    """The profile cut into disjoint parts, largest first.

    A category of level n > 0 is part of the last category of level n - 1 before it
    in :data:`CATEGORIES`; each category keeps only the time its parts leave over.
    """
    own = {c.label: p.part(c.label) for c in CATEGORIES}
    has_parts: set[str] = set()
    parents: list[str] = []
    for category in CATEGORIES:
        del parents[category.level :]
        if parents:
            own[parents[-1]] -= p.part(category.label)
            if p.part(category.label) > 0:
                has_parts.add(parents[-1])
        parents.append(category.label)
    staged = sum(p.part(c.label) for c in CATEGORIES if c.level == 0)
    out = [Share(IMPORTS, p.part(IMPORTS))]
    for category in CATEGORIES:
        label = category.label
        if label in has_parts:
            label += ": everything else" if category.level == 0 else ", the rest"
        out.append(Share(label, max(own[category.label], 0.0)))
    rest = p.total - staged - p.part(IMPORTS)
    out.append(Share("not in any stage (CLI, startup, profiler)", max(rest, 0.0)))
    return sorted((s for s in out if s.seconds > 0), key=lambda s: -s.seconds)
