"""Benchmark for the "Performance" issue: brochure beside its Typst and WeasyPrint peers.

One command measures everything side by side, prints the tables and writes
``bench/RESULTS.md`` (and raw profiles in ``bench/profiles/``):

    python bench/run.py [--runs N] [--quick] [--no-profile] [--ref REF]

a. cold builds (a fresh process each time) of the HSMC prospectus, ours and the peers';
b. warm rebuilds in one process, as ``brochure watch`` makes them;
c. ~60- and 500-page prospectuses made of the same generated entries for all three;
d. 1,000 personalised copies (``bench/mail_bench.py``, when it exists);
e. peak memory of each build process;
f. ``brochure --help`` in a fresh process;
and a profile of where the time goes. It reports; it never fails on a missed target.

The peers are the scripts of ``/work/shared/anchors`` (fonts: ``apt-get install
fonts-open-sans fonts-lato``), run from a copy in a temporary folder: Typst only
reads content under its project root, so the generated long content goes there.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import profiling
from longdoc import ANCHORS, LongDoc, make_long_doc
from proc import Run, Series, measure, measure_in_turn, run_once
from profile_child import CATEGORIES, IMPORTS

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PROFILES = BENCH / "profiles"
PYTHON = sys.executable
"""Runs the peers and the profiles (it has the bench extra)."""
OURS = sys.executable
"""Runs brochure; --ours-python points it at a plain `pip install .`, as a user has it."""


def brochure_command(python: str) -> list[str]:
    script = Path(python).parent / "brochure"
    return [str(script)] if script.exists() else [python, "-m", "brochure"]


BROCHURE = brochure_command(OURS)
PEERS = {"typst": "Typst", "weasyprint": "WeasyPrint"}
BOTH = ("print", "screen")

ENTRIES = {60: 160, 500: 1430}
"""Programme entries (make_long.py, 80 words each) for ~60 and ~500 pages in our layout."""

# Targets of the "Performance" issue.
COLD_VS_TYPST = 1.5
WARM_MS = 100.0
LONG_VS_TYPST = 2.0
LONG_VS_WEASYPRINT = 0.1  # at least 10 times faster
LINEAR_SLACK = 1.25  # ms per added page, 60 -> 500 pages, at most 1.25 x that of 4 -> 60
MAIL_S = 10.0
RSS_MIB = 100.0
HELP_MS = 150.0

HEAVY_IMPORTS = "import reportlab.platypus, pypdf, jinja2.sandbox, yaml, markdown_it, pyphen"
LAYOUT_IMPORTS = "import brochure.cli, brochure.build"
QUICK_EXIT = "; import os; os._exit(0)"
"""What the command's own process imports before it can lay out (the worker imports the rest)."""
WORKER_STAGES = ("theme and fonts", "content", "templates")
"""Stages the ``brochure build`` command runs in its worker, while its own process imports
ReportLab: in a cold build they overlap the imports, and are left out of the sums below."""
PACKAGES = [
    "brochure", "reportlab", "rl_accel", "pypdf", "Jinja2", "PyYAML", "markdown-it-py", "pyphen",
    "weasyprint", "typst", "pyinstrument", "cryptography", "fonttools",
]  # fmt: skip


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- what one build measured ---------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """Several fresh-process builds of one document by one system."""

    system: str
    series: Series
    pages: int | None

    @property
    def ok(self) -> bool:
        return self.series.ok

    @property
    def seconds(self) -> float | None:
        return self.series.median if self.ok else None

    @property
    def rss_mib(self) -> float | None:
        return self.series.peak_rss_mib if self.ok else None

    @property
    def ms_per_page(self) -> float | None:
        if self.seconds is None or not self.pages:
            return None
        return self.seconds * 1000 / self.pages

    def stages(self) -> dict[str, float]:
        """Median seconds per stage of ``brochure build -v`` (ours only)."""
        found: dict[str, list[float]] = {}
        for run in self.series.runs:
            for name, ms in re.findall(r"^  (\S.*?)\s+([\d.]+) ms$", run.stderr, re.M):
                found.setdefault(name, []).append(float(ms) / 1000)
        return {name: statistics.median(values) for name, values in found.items()}

    def failure(self) -> str:
        run = self.series.last if self.series.runs else None
        if run is None:
            return "did not run"
        return f"exit status {run.returncode}: {(run.stderr or run.stdout).strip()[-1500:]}"


@dataclass(frozen=True)
class Warm:
    """Rebuilds in one process (``bench/warm.py``)."""

    first: float
    seconds: list[float]
    stages: dict[str, float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Results:
    runs: int
    source: Path
    """The brochure tree measured: the checkout, or a ``git archive`` of ``--ref``."""
    tree: str
    """What that tree is, for the report."""
    cold: dict[str, Build] = field(default_factory=dict)
    """4 pages, print + screen: ours, typst, weasyprint; and ours-all (three editions)."""
    long: dict[int, dict[str, Build]] = field(default_factory=dict)
    """~pages -> system -> builds."""
    docs: dict[int, LongDoc] = field(default_factory=dict)
    growth: dict[int, Build] = field(default_factory=dict)
    """~pages (4 for HSMC) -> our builds of it, measured in turn with the other sizes."""
    warm: Warm | None = None
    warm_error: str = ""
    help: Series | None = None
    python: Series | None = None
    floor: Series | None = None
    layout_floor: Series | None = None
    mail: Run | None = None
    teardown: float | None = None
    """Seconds from the end of ``main()`` to the process's exit (interpreter teardown)."""
    imports: profiling.ImportSummary | None = None
    profiles: dict[str, profiling.Profile] = field(default_factory=dict)
    profile_errors: dict[str, str] = field(default_factory=dict)


# -- running the builds --------------------------------------------------------------------


def ours(content: Path, out: Path, editions: Sequence[str] = BOTH) -> list[str]:
    args = [arg for e in editions for arg in ("--edition", e)]
    return [*BROCHURE, "build", "-v", "--content", str(content), "--out", str(out), *args]


def peer(root: Path, system: str, content: Path, out: Path) -> list[str]:
    script = root / system / "build.py"
    return [PYTHON, str(script), "--content", str(content), "--outdir", str(out)]


def pdf_pages(path: Path) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(path).pages)
    except (OSError, ValueError):
        return None


def our_pages(series: Series) -> int | None:
    found = re.search(r"\s(\d+) pages?\b", series.last.stdout) if series.runs else None
    return int(found.group(1)) if found else None


def build_all(
    label: str,
    content: Path,
    peer_content: Path,
    peers_root: Path,
    out: Path,
    runs: int,
    warmup: int,
) -> dict[str, Build]:
    """Our build and both peers' of one document, each ``runs`` times in fresh processes."""
    builds: dict[str, Build] = {}
    series = measure(ours(content, out / "ours"), runs, warmup=warmup)
    builds["ours"] = Build("ours", series, our_pages(series))
    log(f"  {label}: ours {_s(builds['ours'].seconds)}")
    for system, name in PEERS.items():
        target = out / system
        series = measure(peer(peers_root, system, peer_content, target), runs, warmup=warmup)
        builds[system] = Build(system, series, pdf_pages(target / f"{system}-print.pdf"))
        log(f"  {label}: {name} {_s(builds[system].seconds)}")
    return builds


def setup_peers(work: Path) -> Path:
    """A copy of the anchors' scripts and content: the project root Typst reads under."""
    root = work / "peers"
    root.mkdir()
    shutil.copy(ANCHORS / "content.yaml", root / "content.yaml")
    for system in PEERS:
        shutil.copytree(ANCHORS / system, root / system)
    return root


def run_benchmarks(args: argparse.Namespace, work: Path, source: Path, tree: str) -> Results:
    runs = args.runs or (3 if args.quick else 10)
    long_runs, big_runs = max(1, runs // 2), max(1, runs // 3)
    warm_runs = 5 if args.quick else 20
    results = Results(runs, source, tree)
    content = source / "content"
    peers_root = setup_peers(work)

    log(f"a. cold builds, HSMC 4 pages, median of {runs} (after a warm-up run)")
    results.cold = build_all(
        "4 pp", content, peers_root / "content.yaml", peers_root, work / "cold", runs, 1
    )
    series = measure(ours(content, work / "cold-all", ()), runs, warmup=1)
    results.cold["ours-all"] = Build("ours", series, our_pages(series))
    log(f"  4 pp, all three editions: ours {_s(results.cold['ours-all'].seconds)}")
    cache = os.environ.get("BROCHURE_CACHE_DIR", "")
    os.environ["BROCHURE_CACHE_DIR"] = "off"  # as the very first build after installing
    try:
        series = measure(ours(content, work / "cold-uncached"), runs, warmup=0)
    finally:
        os.environ["BROCHURE_CACHE_DIR"] = cache
    results.cold["ours-uncached"] = Build("ours", series, our_pages(series))
    log(f"  4 pp, cache off: ours {_s(results.cold['ours-uncached'].seconds)}")

    log(f"b. warm rebuilds in one process, median of {warm_runs}")
    command = [OURS, str(BENCH / "warm.py"), "--content", str(content)]
    command += ["--out", str(work / "warm"), "--runs", str(warm_runs)]
    command += ["--edition", "print", "--edition", "screen"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        data = json.loads(done.stdout)
        results.warm = Warm(data["first"], data["seconds"], data["stages"])
        log(f"  warm: {_s(results.warm.median)}")
    else:
        results.warm_error = done.stderr.strip()[-1500:]

    for pages, entries in ENTRIES.items():
        count = long_runs if pages < 100 else big_runs
        log(f"c. ~{pages} pages ({entries} entries), median of {count}")
        doc = make_long_doc(entries, peers_root, work, content)
        results.docs[pages] = doc
        results.long[pages] = build_all(
            f"{pages} pp",
            doc.content_dir,
            doc.peer_yaml,
            peers_root,
            work / f"long{pages}",
            count,
            0,
        )

    rounds = 2 if args.quick else 5
    log(f"g. our growth: 4, ~60 and ~500 pages in turn, median of {rounds} rounds")
    sizes = {4: content, **{p: d.content_dir for p, d in results.docs.items()}}
    commands = [ours(c, work / f"growth{p}") for p, c in sizes.items()]
    for p, series in zip(sizes, measure_in_turn(commands, rounds), strict=True):
        results.growth[p] = Build("ours", series, our_pages(series))
    log("  " + ", ".join(f"{p} pp {_s(b.seconds)}" for p, b in results.growth.items()))

    mail = BENCH / "mail_bench.py"
    if mail.exists():
        log("d. 1,000 personalised copies (bench/mail_bench.py)")
        if source != ROOT:  # it builds the tree it lies in
            (source / "bench").mkdir(exist_ok=True)
            mail = Path(shutil.copy(mail, source / "bench" / mail.name))
        results.mail = run_once([OURS, str(mail)])

    log("f. brochure --help, and Python's own start")
    help_runs = max(runs, 10)
    results.help = measure([*BROCHURE, "--help"], help_runs, warmup=1)
    results.python = measure([OURS, "-c", "pass"], help_runs, warmup=1)
    # os._exit: the interpreter's start and the imports, without its teardown at exit
    # (which the brochure command skips too)
    results.floor = measure([OURS, "-c", HEAVY_IMPORTS + QUICK_EXIT], help_runs, warmup=1)
    results.layout_floor = measure([OURS, "-c", LAYOUT_IMPORTS + QUICK_EXIT], help_runs, warmup=1)
    quiet = ["build", "-q", "--content", str(content), "--out", str(work / "teardown")]
    results.teardown = teardown([*quiet, "--edition", "print", "--edition", "screen"], help_runs)

    if not args.no_profile:
        run_profiles(args, results, work, warm_runs)
    return results


TEARDOWN = """\
import sys, time
from brochure.cli import main
status = main(sys.argv[1:])
print(time.time(), flush=True)
sys.exit(status)
"""


def teardown(args: Sequence[str], runs: int) -> float | None:
    """Median time from ``brochure`` returning from ``main()`` to its process being reaped."""
    times = []
    for _ in range(runs):
        run = run_once([OURS, "-c", TEARDOWN, *args])
        end = time.time()
        if run.returncode:
            return None
        times.append(end - float(run.stdout.split()[-1]))
    return statistics.median(times)


def run_profiles(args: argparse.Namespace, results: Results, work: Path, warm_runs: int) -> None:
    PROFILES.mkdir(exist_ok=True)
    repeat = 1 if args.quick else 3
    log("profiles: -X importtime, pyinstrument (cold 4 pp, warm, cold 500 pp)")
    # main(), not the command's run(): one process, without the finishing worker that
    # run() forks (whose imports -X importtime would interleave with this process's)
    entry = ["-c", "import sys; from brochure.cli import main; sys.exit(main(sys.argv[1:]))"]
    content = results.source / "content"
    command = [PYTHON, *entry, "build", "-q", "--content", str(content)]
    command += ["--out", str(work / "prof-imports"), "--edition", "print", "--edition", "screen"]
    results.imports = profiling.import_summary(command, repeat, PROFILES / "importtime-hsmc.txt")
    long_content = results.docs[500].content_dir
    plans: list[tuple[str, str, Path, int]] = [
        ("cold 4 pp", "cold", content, repeat),
        ("warm rebuild", "warm", content, 1),
        ("cold 500 pp", "cold", long_content, 1),
    ]
    for name, mode, content, times in plans:
        text = PROFILES / f"{name.replace(' ', '-')}.txt"
        got = profiling.profile(
            name, mode, content, work / f"prof-{mode}", BOTH, text, repeat=times, runs=warm_runs
        )
        if isinstance(got, str):
            results.profile_errors[name] = got
        else:
            results.profiles[name] = got


# -- formatting ----------------------------------------------------------------------------


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "failed"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def _mib(value: float | None) -> str:
    return "failed" if value is None else f"{value:.0f} MiB"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("MET" if ok else "MISSED")


def _check(a: float | None, b: float | None, test: Callable[[float, float], bool]) -> bool | None:
    return None if a is None or b is None else test(a, b)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _compare(
    tag: str,
    measure: str,
    values: Sequence[float | None],
    fmt: Callable[[float | None], str],
    target: str,
    verdict: str,
) -> list[str]:
    """A row of the main table: ours, Typst, WeasyPrint, the two ratios, target and result."""
    ours_, typst, weasy = values
    return [tag, measure, *(fmt(v) for v in values), _ratio(ours_, typst), _ratio(ours_, weasy),
            target, verdict]  # fmt: skip


def _alone(tag: str, measure: str, ours_: str, target: str, verdict: str) -> list[str]:
    """A row of the main table with no peer figures."""
    return [tag, measure, ours_, "—", "—", "—", "—", target, verdict]


def _seconds(builds: dict[str, Build], *keys: str) -> list[float | None]:
    return [builds[k].seconds if k in builds else None for k in keys]


def main_table(r: Results) -> str:
    peers = ("typst", "weasyprint")
    rows: list[list[str]] = []
    typst_s, weasy_s = _seconds(r.cold, *peers)
    for key, what in (("ours", "print + screen"), ("ours-all", "all three editions")):
        if key not in r.cold:
            continue
        mine = _seconds(r.cold, key)[0]
        rows.append(
            _compare(
                "a",
                f"cold build, HSMC 4 pp, {what} (fresh process, median of {r.runs}; "
                "peers: print + screen)",
                [mine, typst_s, weasy_s],
                _s,
                f"ours ≤ {COLD_VS_TYPST}× Typst",
                _verdict(_check(mine, typst_s, lambda a, b: a <= COLD_VS_TYPST * b)),
            )
        )
    if "ours-uncached" in r.cold:
        mine = _seconds(r.cold, "ours-uncached")[0]
        rows.append(
            _compare(
                "a",
                "the same, print + screen, with brochure's cache turned off (what the "
                f"first build after installing costs; median of {r.runs})",
                [mine, typst_s, weasy_s],
                _s,
                "(reported)",
                "info",
            )
        )
    warm = _warm_median(r)
    rows.append(
        _alone(
            "b",
            f"warm rebuild in one process, print + screen (median of {_warm_count(r)})",
            _s(warm),
            f"≤ {WARM_MS:.0f} ms",
            _verdict(None if warm is None else warm * 1000 <= WARM_MS),
        )
    )
    for pages, builds in r.long.items():
        mine, typst, weasy = _seconds(builds, "ours", *peers)
        counts = "/".join(str(builds[k].pages or "?") for k in ("ours", *peers))
        vs_t = _check(mine, typst, lambda a, b: a <= LONG_VS_TYPST * b)
        vs_w = _check(mine, weasy, lambda a, b: a <= LONG_VS_WEASYPRINT * b)
        rows.append(
            _compare(
                "c",
                f"cold build, ~{pages} pp ({r.docs[pages].entries} entries; pages "
                f"ours/Typst/WP {counts}), print + screen, median of "
                f"{len(builds['ours'].series.runs)}",
                [mine, typst, weasy],
                _s,
                f"ours ≤ {LONG_VS_TYPST:.0f}× Typst; ≥ {1 / LONG_VS_WEASYPRINT:.0f}× faster "
                "than WeasyPrint",
                f"{_verdict(vs_t)} (Typst); {_verdict(vs_w)} (WeasyPrint)",
            )
        )
    per_page = _per_page(r)
    rows.append(
        [
            "c",
            "ms per page at 4 / 60 / 500 pp (whole process, both editions)",
            *(" / ".join(_f(v) for v in per_page[k]) for k in ("ours", *peers)),
            "—",
            "—",
            "(reported)",
            "info",
        ]
    )
    inc = _increments(r)
    linear = None if inc[0] is None or inc[1] is None else inc[1] <= LINEAR_SLACK * inc[0]
    rows.append(
        [
            "c",
            "linear growth: ms per added page, 4→60 pp / 60→500 pp"
            + (
                " (ours: the three sizes built in turn, so that the machine's drift "
                f"between blocks stays out; median of {_rounds(r)} rounds)"
                if r.growth
                else ""
            ),
            *(" / ".join(_f(v) for v in _increments(r, k)) for k in ("ours", *peers)),
            "—",
            "—",
            f"ours: 60→500 ≤ {LINEAR_SLACK}× 4→60",
            _verdict(linear),
        ]
    )
    mail_s, mail_note = _mail(r)
    mail_ok = None if mail_s is None else mail_s <= MAIL_S
    rows.append(
        _alone(
            "d",
            "1,000 personalised copies (bench/mail_bench.py, in-process total)",
            mail_note or _s(mail_s),
            f"≤ {MAIL_S:.0f} s",
            "pending" if mail_note == "pending" else _verdict(mail_ok),
        )
    )
    for label, builds in (("500 pp", r.long.get(500, {})), ("4 pp", r.cold)):
        rss = [builds[k].rss_mib if k in builds else None for k in ("ours", *peers)]
        big = label == "500 pp"
        rows.append(
            _compare(
                "e",
                f"peak RSS of the build process, {label}",
                rss,
                _mib,
                f"≤ {RSS_MIB:.0f} MiB" if big else "(reported)",
                _verdict(None if rss[0] is None else rss[0] <= RSS_MIB) if big else "info",
            )
        )
    runs = len(r.help.runs) if r.help else 0
    help_s = r.help.median if r.help and r.help.ok else None
    rows.append(
        _alone(
            "f",
            f"`brochure --help`, fresh process (median of {runs})",
            _s(help_s),
            f"≤ {HELP_MS:.0f} ms",
            _verdict(None if help_s is None else help_s * 1000 <= HELP_MS),
        )
    )
    header = ["", "measure", "ours", "Typst", "WeasyPrint", "ours/Typst", "ours/WeasyPrint",
              "target", "result"]  # fmt: skip
    return table(header, rows)


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _warm_count(r: Results) -> int:
    return len(r.warm.seconds) if r.warm else 0


def _warm_median(r: Results) -> float | None:
    return r.warm.median if r.warm else None


def _docs(r: Results, system: str) -> list[Build | None]:
    return [r.cold.get(system), *(r.long.get(p, {}).get(system) for p in ENTRIES)]


def _per_page(r: Results) -> dict[str, list[float | None]]:
    return {
        system: [b.ms_per_page if b else None for b in _docs(r, system)]
        for system in ("ours", *PEERS)
    }


def _increments(r: Results, system: str = "ours") -> list[float | None]:
    """Milliseconds per added page from one document to the next larger one (ours from
    the sizes measured in turn, where they were)."""
    docs: list[Build | None] = _docs(r, system)
    if system == "ours" and r.growth:
        docs = [r.growth.get(p) for p in (4, *ENTRIES)]
    out: list[float | None] = []
    for small, large in itertools.pairwise(docs):
        if small and large and small.seconds and large.seconds and small.pages and large.pages:
            out.append((large.seconds - small.seconds) * 1000 / (large.pages - small.pages))
        else:
            out.append(None)
    return out


def _rounds(r: Results) -> int:
    return min((len(b.series.runs) for b in r.growth.values()), default=0)


def _mail(r: Results) -> tuple[float | None, str]:
    if r.mail is None:
        return None, "pending"
    found = re.search(r"^total:\s+([\d.]+) s", r.mail.stdout, re.M)
    return (float(found.group(1)), "") if found else (None, "failed")


def scaling_table(r: Results) -> str:
    rows = []
    docs = [
        ("HSMC, 4 pp", r.cold, "—"),
        *((f"~{p} pp", r.long[p], str(r.docs[p].entries)) for p in r.long),
    ]
    for label, builds, entries in docs:
        for system in ("ours", *PEERS):
            b = builds.get(system)
            if b is None:
                continue
            low, high = b.series.spread if b.series.runs else (0.0, 0.0)
            rows.append(
                [
                    label,
                    entries,
                    {"ours": "brochure", **PEERS}[system],
                    str(b.pages or "?"),
                    _s(b.seconds),
                    f"{_s(low)} – {_s(high)}",
                    _f(b.ms_per_page),
                    _mib(b.rss_mib),
                    str(len(b.series.runs)),
                ]
            )
    header = [
        "document",
        "entries",
        "system",
        "pages",
        "median",
        "fastest – slowest",
        "ms/page",
        "peak RSS",
        "runs",
    ]
    return table(header, rows)


def stage_table(r: Results) -> str:
    columns: list[tuple[str, dict[str, float], float | None]] = []
    for key, label in (
        ("ours", "cold 4 pp"),
        ("ours-all", "cold 4 pp, 3 editions"),
        ("ours-uncached", "cold 4 pp, cache off"),
    ):
        if key in r.cold and r.cold[key].ok:
            columns.append((label, r.cold[key].stages(), r.cold[key].seconds))
    if r.warm:
        columns.append(("warm rebuild", r.warm.stages, r.warm.median))
    for pages, builds in r.long.items():
        if builds["ours"].ok:
            columns.append((f"cold ~{pages} pp", builds["ours"].stages(), builds["ours"].seconds))
    names = list(dict.fromkeys(n for _, stages, _ in columns for n in stages))
    rows = [
        [f"{name} (worker)" if name in WORKER_STAGES else name]
        + [_ms(stages.get(name)) for _, stages, _ in columns]
        for name in names
    ]
    rows.append(
        [
            "**sum of the command's own stages** (the worker's too, in process)",
            *(_ms(_own(s, in_process=label == "warm rebuild")) for label, s, _ in columns),
        ]
    )
    rows.append(
        [
            "**outside them** (Python start, imports, CLI; the worker's stages run meanwhile)",
            *(
                "(in process)"
                if label == "warm rebuild" or total is None
                else _ms(total - _own(s, in_process=False))
                for label, s, total in columns
            ),
        ]
    )
    rows.append(["**total** (median)", *(_ms(total) for _, _, total in columns)])
    return table(["stage (`brochure build -v`)", *(c[0] for c in columns)], rows)


def _own(stages: dict[str, float], *, in_process: bool) -> float:
    """The stages on the command's own timeline: in a cold build, not the worker's first
    ones, which run while the command imports ReportLab."""
    return sum(t for n, t in stages.items() if in_process or n not in WORKER_STAGES)


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f}"


# -- the profile section -------------------------------------------------------------------


def profile_section(r: Results) -> str:
    out = ["## Profile", ""]
    if not r.profiles and not r.imports:
        return "\n".join([*out, "Not run (`--no-profile`).", ""])
    cold = r.cold.get("ours")
    py = r.python.median if r.python and r.python.ok else None
    floor = r.floor.median if r.floor and r.floor.ok else None
    stages = cold.stages() if cold and cold.ok else {}
    staged = _own(stages, in_process=False) if stages else None
    layout_floor = r.layout_floor.median if r.layout_floor and r.layout_floor.ok else None
    outside = cold.seconds - staged if cold and cold.seconds and staged else None
    out += [
        "Raw profiles (text): `bench/profiles/importtime-hsmc.txt` (`python -X importtime`, "
        "summarised), `cold-4-pp.txt`, `warm-rebuild.txt`, `cold-500-pp.txt` (pyinstrument, "
        f"{profiling_interval()} ms sampling; library frames collapsed).",
        "",
        "### Where a cold build's time goes (HSMC, print + screen, fresh process)",
        "",
        f"- whole process, unprofiled (a): **{_s(cold.seconds if cold else None)}**",
        f"- Python's own start (`python -c pass`): {_s(py)}",
        f"- sum of the stages in the command's own process (`-v`, less the worker's "
        f"{', '.join(WORKER_STAGES)}, which run while it imports): {_s(staged)}; the rest is "
        f"Python's start, imports and the command line: **{_s(outside)}**",
        f'- import floor, `python -c "{HEAVY_IMPORTS}{QUICK_EXIT}"` in a fresh process: '
        f"{_s(floor)} (what one process would pay for today's dependencies, imported "
        "eagerly: the interpreter's start and the imports, without its teardown)",
        f"- what the command's own process imports before it lays out, `python -c "
        f'"{LAYOUT_IMPORTS}{QUICK_EXIT}"`: {_s(layout_floor)} (the worker imports PyYAML, '
        "Jinja2, the content model and pypdf, on the other core)",
    ]
    out.append(
        "- interpreter exit after the build (from `main()` returning to the process "
        f"being reaped; module teardown, which `os._exit()` would skip): {_s(r.teardown)}"
    )
    if r.imports:
        out.append(
            f"- `-X importtime`: {r.imports.total_ms:.0f} ms of module execution in all "
            f"(median of {r.imports.runs}; the instrumentation itself inflates this a little), "
            "in one process: here the build runs through `main()`, so everything is imported "
            "by the build itself, where the `brochure` command's worker imports PyYAML, "
            "Jinja2 and the content model (while the command imports ReportLab) and pypdf "
            "(during the layout), on the other core"
        )
    out.append("")
    if r.imports:
        out += [
            "#### Imports by package (own time of its modules; median)",
            "",
            table(
                ["package", "modules", "ms", "imported by"],
                [[n, str(m), f"{ms:.1f}", by] for n, m, ms, by in r.imports.packages[:14]],
            ),
            "",
            "Most expensive imports, cumulative (left) and by a module's own time (right), "
            "in the median run:",
            "",
            table(
                ["module (· = depth)", "cumulative ms", "module", "own ms"],
                [
                    [
                        f"{'·' * i.depth}{i.name}",
                        f"{i.cumulative_us / 1000:.1f}",
                        j.name,
                        f"{j.self_us / 1000:.1f}",
                    ]
                    for i, j in zip(r.imports.top[:12], r.imports.own[:12], strict=False)
                ],
            ),
            "",
        ]
    if r.profiles:
        names = list(r.profiles)
        out += [
            "#### Time by part (pyinstrument; ms, per build; % of the profiled total)",
            "",
            "Parts are nested: an indented row is inside the row above it. Imports are "
            "counted once, on their own row, and left out of every other row. The profiler "
            "slows call-heavy Python code most, so read the shares rather than the "
            "milliseconds, and check a saving by measuring it unprofiled.",
            "",
        ]
        rows = []
        for label, level in ((IMPORTS, 0), *((c.label, c.level) for c in CATEGORIES)):
            cells = []
            for name in names:
                p = r.profiles[name]
                sec = p.part(label)
                cells.append(f"{sec * 1000:.1f} ({100 * sec / p.total:.0f} %)" if sec else "—")
            if any(cell != "—" for cell in cells):
                rows.append([f"{'↳ ' * level}{label}", *cells])
        rows.append(["**profiled total**", *(f"{r.profiles[n].total * 1000:.1f}" for n in names)])
        big = r.long.get(500, {}).get("ours")
        wall = {
            "cold 4 pp": cold.seconds if cold else None,
            "warm rebuild": _warm_median(r),
            "cold 500 pp": big.seconds if big else None,
        }
        slower = []
        for n in names:
            w = wall.get(n)
            slower.append(f"{_ms(w)} (profiler ×{r.profiles[n].total / w:.1f})" if w else "—")
        rows.append(["unprofiled, for comparison (a, b, c)", *slower])
        out += [table(["part", *names], rows), ""]
        out += ["#### Largest parts, disjoint (the top findings)", ""]
        for name in names:
            p = r.profiles[name]
            top = profiling.leaves(p)[:7]
            listed = "; ".join(
                f"{s.label} {s.seconds * 1000:.0f} ms ({100 * s.seconds / p.total:.0f} %)"
                for s in top
            )
            out.append(f"- **{name}** ({p.total * 1000:.0f} ms profiled): {listed}")
        out.append("")
    for name, error in r.profile_errors.items():
        out += [f"Profile {name} failed:", "", "```", error, "```", ""]
    return "\n".join(out)


def profiling_interval() -> str:
    from profile_child import INTERVAL

    return f"{INTERVAL * 1000:g}"


# -- the machine ---------------------------------------------------------------------------


def machine(tree: str) -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    fonts = []
    for family in ("Open Sans", "Lato"):
        found = _run(["fc-match", "-f", "%{file}", family])
        fonts.append(f"{family} → {found or 'fc-match unavailable'}")
    return [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; {platform.platform()}",
        f"- Python {platform.python_version()} (peers: {PYTHON}; brochure: {OURS})",
        f"- packages: {', '.join(versions)}",
        "- note: pypdf imports cryptography and fontTools when they are installed (here by "
        "the test and bench extras); a plain `pip install brochure` has neither",
        f"- peer fonts: {'; '.join(fonts)}",
        f"- brochure measured: {tree}",
    ]


def _run(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip()


# -- the report ----------------------------------------------------------------------------


def report(r: Results, quick: bool) -> str:
    mode = " (--quick: fewer runs, rougher figures)" if quick else ""
    parts = [
        "# Performance benchmark",
        "",
        f"Written by `python bench/run.py`{mode}. Every build runs in a fresh process "
        "(wall time from spawn to exit, median; one unmeasured warm-up run first for the "
        "4-page builds), except (b), which rebuilds in one process as `brochure watch` does. "
        "Ours: `brochure build --edition print --edition screen -v`; the peers: "
        "`/work/shared/anchors/{typst,weasyprint}/build.py` (both editions), run from a "
        "temporary copy. The long documents are `make_long.py`'s entries, the same for all "
        "three systems; page counts differ because each system sets them in its own layout. "
        "brochure's own cache (parsed fonts, hyphenation patterns, compiled templates, the "
        "deflated colour profile) starts empty in a temporary folder and is filled by the "
        "first run, as after a user's first build; one row measures the build with it off.",
        "",
        "## Machine",
        "",
        *machine(r.tree),
        "",
        "## Results",
        "",
        main_table(r),
        "",
        "## Scaling and memory",
        "",
        scaling_table(r),
        "",
        "## Our stages (median ms, from `brochure build -v` and the warm loop)",
        "",
        stage_table(r),
        "",
    ]
    if r.mail is not None:
        parts += [
            "## 1,000 personalised copies (`bench/mail_bench.py`)",
            "",
            f"Whole process: {_s(r.mail.seconds)}, peak RSS {r.mail.max_rss_kib / 1024:.0f} "
            f"MiB, exit status {r.mail.returncode}.",
            "",
            "```",
            (r.mail.stdout + r.mail.stderr).strip()[-3000:],
            "```",
            "",
        ]
    failures = [
        f"- {label} {system}: {b.failure()}"
        for label, builds in [("4 pp", r.cold), *((f"{p} pp", r.long[p]) for p in r.long)]
        for system, b in builds.items()
        if not b.ok
    ]
    if r.warm_error:
        failures.append(f"- warm rebuild: {r.warm_error}")
    if failures:
        parts += ["## Failures", "", *failures, ""]
    parts.append(profile_section(r))
    history = BENCH / "OPTIMISATIONS.md"  # written by hand: what each change gained
    if history.exists():
        parts += ["", history.read_text(encoding="utf-8")]
    return "\n".join(parts).rstrip() + "\n"


def checkout(ref: str | None, work: Path) -> tuple[Path, str]:
    """The brochure tree to measure, and what it is: the checkout, or ``ref`` exported."""
    git = ["git", "-C", str(ROOT)]
    if ref is None:
        commit = _run([*git, "rev-parse", "--short", "HEAD"]) or "unknown"
        if _run([*git, "status", "--porcelain", "--untracked-files=no"]):
            commit += " + uncommitted changes"
        return ROOT, f"the working tree at {commit}"
    source = work / "source"
    source.mkdir()
    archive = subprocess.run([*git, "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    commit = _run([*git, "rev-parse", "--short", ref])
    return source, f"{ref} ({commit}), exported with git archive"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs per 4-page build (default 10, quick 3)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a rough look")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiles")
    parser.add_argument(
        "--out", type=Path, default=BENCH / "RESULTS.md", help="where to write the results"
    )
    parser.add_argument(
        "--ref",
        help="measure brochure as committed at this git ref (e.g. HEAD) instead of the "
        "working tree",
    )
    parser.add_argument(
        "--ours-python",
        help="the Python that runs brochure (default: this one); point it at a virtual "
        "environment with only `pip install .`, to measure what a user installs",
    )
    args = parser.parse_args()
    args.out = args.out.resolve()
    if args.ours_python:
        global OURS, BROCHURE
        OURS = str(Path(args.ours_python).absolute())
        BROCHURE = brochure_command(OURS)
    with tempfile.TemporaryDirectory(prefix="brochure-bench-") as tmp:
        # Measure what a user gets: Python caches bytecode. (This machine sets
        # PYTHONDONTWRITEBYTECODE, so brochure's own modules would be compiled in every
        # process.) The cache lives in the temporary folder: the checkout stays untouched.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        # brochure's own cache (parsed fonts, hyphenation patterns, compiled templates):
        # empty at the start, filled by the first (unmeasured) run, as after a user's first build
        os.environ["BROCHURE_CACHE_DIR"] = str(Path(tmp) / "work-cache")
        source, tree = checkout(args.ref, Path(tmp))
        if source != ROOT:  # brochure from the export comes first on the path
            os.environ["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(source), os.environ.get("PYTHONPATH")])
            )
        # children start here, so that no `python -c` finds a brochure in the current folder
        os.chdir(tmp)
        results = run_benchmarks(args, Path(tmp), source, tree)
        os.chdir(BENCH)
    text = report(results, args.quick)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
