"""Warm rebuilds, as ``brochure watch`` makes them: build() again and again in one process.

Run by ``bench/run.py`` in a process of its own; prints JSON on stdout:
``{"first": s, "seconds": [s, ...], "stages": {stage: median s}, "pages": n}``.

    python bench/warm.py --content content --out DIR --runs 20 --edition print --edition screen
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--edition", action="append")
    args = parser.parse_args()

    from brochure.build import build

    start = time.perf_counter()
    outputs = build(args.content, args.out, args.edition)
    first = time.perf_counter() - start
    seconds: list[float] = []
    stages: defaultdict[str, list[float]] = defaultdict(list)
    for _ in range(args.runs):
        start = time.perf_counter()
        build(args.content, args.out, args.edition, progress=lambda s, t: stages[s].append(t))
        seconds.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "first": first,
                "seconds": seconds,
                "stages": {name: statistics.median(ts) for name, ts in stages.items()},
                "pages": outputs[0].pages,
            }
        )
    )


if __name__ == "__main__":
    main()
