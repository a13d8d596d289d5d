"""Run every preset headless over several seeds and print the README's preset table (Markdown).

Each run is a real `condense-tui --no-tui` process, so its time includes start-up (Python, torch,
measuring the activations' multiplicity). Usage:

    python benchmarks/preset_table.py [--seeds 5] [--json results.json] [preset ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from condense_tui.config import load_preset, preset_names


def run(name: str, seed: int, extra: tuple[str, ...] = ()) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "condense_tui.cli", "--no-tui", "-q", "--preset", name,
                           "--seed", str(seed), *extra], check=False, capture_output=True, text=True,
                          timeout=600)
    wall = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"{name} seed {seed}: no output (exit {done.returncode}): {done.stderr.strip()}")
    summary = json.loads(lines[-1])
    assert summary.get("event") == "summary", summary
    return wall, summary


def paper_statement(expect: dict[str, Any]) -> str:
    parts = []
    if "lines_per_layer" in expect:
        steps = expect.get("watch_steps")
        parts.append("lines per layer " + ", ".join(map(str, expect["lines_per_layer"]))
                     + (f" (steps {', '.join(map(str, steps))})" if steps else ""))
    if "lines" in expect:
        parts.append(f"{expect['lines']} line{'s' if expect['lines'] != 1 else ''}")
    for key, text in (("orientations", "{} orientations"),
                      ("min_orientations", "at least {} orientations"),
                      ("polynomial_degree", "output ~ degree-{} polynomial fit")):
        if key in expect:
            parts.append(text.format(expect[key]))
    if "not_polynomial_degrees" in expect:
        parts.append("output not a degree " + "/".join(map(str, expect["not_polynomial_degrees"]))
                     + " polynomial fit")
    return "; ".join(parts)


def measured(summaries: list[dict[str, Any]]) -> str:
    """What the runs showed at the steps the expectation names, seed by seed."""
    checks = [s["checks"] for s in summaries]
    parts = []
    for i, first in enumerate(checks[0]):
        values = [c[i].get("measured") for c in checks]
        if first["check"] in ("polynomial_degree", "not_polynomial_degrees"):
            degrees = sorted({int(k) for k in first["distances"]})
            spans = []
            for k in degrees:
                d = [c[i]["distances"][str(k)] for c in checks]
                spans.append(f"{k}: {min(d):.2f}-{max(d):.2f}")
            closest = [min(c[i]["distances"], key=c[i]["distances"].get) for c in checks]
            parts.append(f"closest fit degree {','.join(closest)}; distance to fit of degree "
                         + ", ".join(spans))
            continue
        label = {"lines": "lines", "orientations": "orientations",
                 "min_orientations": "orientations"}[first["check"]]
        where = f"layer {first['layer']} " if len({c["layer"] for c in checks[0]}) > 1 else ""
        parts.append(f"{where}{label} {','.join(map(str, values))}")
    # orientation counts beside line counts, for the count checks at the watch step
    if not any(c["check"] in ("orientations", "min_orientations") for c in checks[0]) and all(
            s["at_watch"] for s in summaries) and "lines" in [c["check"] for c in checks[0]]:
        step = str(summaries[0]["watch_step"])
        if all(step in s["at_watch"] for s in summaries) and len(checks[0]) == 1:
            parts.append("orientations " + ",".join(str(s["at_watch"][step][0]["orientations"])
                                                    for s in summaries))
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="*")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--json", help="also write every summary here")
    args = parser.parse_args()
    names = args.presets or preset_names()
    startup = run("fig6-tanh", 0, ("--steps", "0"))[0]
    print(f"<!-- {args.seeds} seeds per preset; start-up alone (fig6-tanh, 0 steps): {startup:.1f} s; "
          f"load average before: {os.getloadavg()[0]:.2f} -->")
    print("| preset | figure | time per run (s) | the paper | measured at the paper's step, seeds 0.."
          f"{args.seeds - 1} | met |")
    print("|---|---|---|---|---|---|")
    everything = {}
    for name in names:
        config = load_preset(name)
        results = [run(name, seed) for seed in range(args.seeds)]
        walls = [wall for wall, _ in results]
        summaries = [summary for _, summary in results]
        everything[name] = summaries
        met = sum(s["met"] is True for s in summaries)
        print(f"| {name} | {config.figure} | {statistics.median(walls):.1f} (max {max(walls):.1f}) | "
              f"{paper_statement(config.expect)} | {measured(summaries)} | {met}/{len(summaries)} |",
              flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(everything, handle, indent=1)


if __name__ == "__main__":
    main()
