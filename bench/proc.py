"""Run a command in a fresh process and measure it: wall time and the child's own peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One finished run of a command."""

    seconds: float
    """Wall time from spawning the process to reaping it."""
    max_rss_kib: int
    """Peak resident set size of this child alone (``wait4``'s ``ru_maxrss``, KiB on Linux)."""
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Series:
    """Several runs of one command."""

    command: tuple[str, ...]
    runs: tuple[Run, ...]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode == 0 for r in self.runs)

    @property
    def median(self) -> float:
        """Median wall time, in seconds."""
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        """Fastest and slowest wall time, in seconds."""
        times = [r.seconds for r in self.runs]
        return min(times), max(times)

    @property
    def peak_rss_mib(self) -> float:
        """The highest peak RSS of any run, in MiB."""
        return max(r.max_rss_kib for r in self.runs) / 1024

    @property
    def last(self) -> Run:
        return self.runs[-1]


def run_once(command: Sequence[str], *, cwd: Path | None = None) -> Run:
    """Run ``command`` to completion in a new process, capturing its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), stdout=out, stderr=err, cwd=cwd)
        # wait4 (not wait) so that the resource usage is this child's alone
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            usage.ru_maxrss,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def measure(
    command: Sequence[str], runs: int, *, warmup: int = 0, cwd: Path | None = None
) -> Series:
    """Run ``command`` ``warmup`` times unmeasured (to warm the disk cache), then ``runs`` times.

    A failed run ends the series early: its output is kept for the report.
    """
    for _ in range(warmup):
        if run_once(command, cwd=cwd).returncode:
            break
    done: list[Run] = []
    for _ in range(runs):
        done.append(run_once(command, cwd=cwd))
        if done[-1].returncode:
            break
    return Series(tuple(command), tuple(done))


def measure_in_turn(commands: Sequence[Sequence[str]], rounds: int) -> list[Series]:
    """Run each of ``commands`` once per round, in turn, ``rounds`` times (after one
    unmeasured round): the machine's drift over the minutes of a benchmark then falls
    on every command alike, not on whichever ran in a slower stretch. A failed run ends
    that command's series."""
    for command in commands:
        run_once(command)
    done: list[list[Run]] = [[] for _ in commands]
    for _ in range(rounds):
        for command, runs in zip(commands, done, strict=True):
            if not runs or not runs[-1].returncode:
                runs.append(run_once(command))
    return [Series(tuple(c), tuple(r)) for c, r in zip(commands, done, strict=True)]
