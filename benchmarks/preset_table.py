"""Run every synthetic preset headless over several seeds and print README's preset table (Markdown).

Columns: what the paper shows; the theory's count for the data in use (predicted lines/orientations,
layer 1); the counts at the step the paper looked at, seed by seed, at the 0.5 rad merge and at the
strict cos 0.95 resolution; on how many seeds every looked-at layer had condensed; the other checks
(polynomial fit, direction); and on how many seeds the preset's expectation was met.

By default the runs train in this one process (the same HeadlessRun the CLI uses, summary record
included), so the table takes seconds per preset; `--subprocess` runs each as a real
`condense-tui --no-tui` process instead, whose time includes start-up. Usage:

    python benchmarks/preset_table.py [--seeds 5] [--subprocess] [--json results.json] [preset ...]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from condense_tui.config import RunConfig, load_preset, preset_names

REAL_DATA = ("mnist", "cifar10")  # need files on disk: not measured here


def run_in_process(config: RunConfig) -> tuple[float, dict[str, Any]]:
    from condense_tui.headless.runner import HeadlessRun, prepare

    started = time.perf_counter()
    trainer, _ = prepare(config, None, False)
    out, err = io.StringIO(), io.StringIO()
    HeadlessRun(config, trainer, None, quiet=True, stdout=out, stderr=err).run()
    return time.perf_counter() - started, json.loads(out.getvalue().strip().splitlines()[-1])


def run_subprocess(name: str, seed: int) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "condense_tui.cli", "--no-tui", "-q", "--preset", name,
                           "--seed", str(seed), "--log-every", "1000000"],
                          check=False, capture_output=True, text=True, timeout=600)
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"{name} seed {seed}: no output (exit {done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - started, json.loads(lines[-1])


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
                      ("polynomial_degree", "output ~ degree-{} polynomial fit"),
                      ("max_direction_error", "peaks within {} rad of the theory")):
        if key in expect:
            parts.append(text.format(expect[key]))
    if "not_polynomial_degrees" in expect:
        parts.append("output not a degree " + "/".join(map(str, expect["not_polynomial_degrees"]))
                     + " polynomial fit")
    return "; ".join(parts)


def looked_at(summary: dict[str, Any]) -> list[tuple[int, int]]:
    """(step, layer) pairs the expectation looks at; layer 1 at the watch step when none names a layer."""
    pairs = {(c["step"], c["layer"]) for c in summary["checks"] if c.get("layer") is not None}
    return sorted(pairs, key=lambda p: p[1]) or [(summary["watch_step"], 1)]


def _layer(summary: dict[str, Any], step: int, layer: int) -> dict[str, Any] | None:
    layers = summary["at_watch"].get(str(step)) or []
    return layers[layer - 1] if len(layers) >= layer else None


def _seq(values: list[Any]) -> str:
    return ",".join("-" if v is None else str(v) for v in values)


def counts(summaries: list[dict[str, Any]]) -> str:
    """Lines and orientations at each looked-at (step, layer), seed by seed: merged (strict)."""
    pairs = looked_at(summaries[0])
    parts = []
    for step, layer in pairs:
        entries = [_layer(s, step, layer) or {} for s in summaries]
        where = f"layer {layer} at {step}: " if len(pairs) > 1 else ""
        text = f"{where}lines {_seq([e.get('lines') for e in entries])}"
        strict = [e.get("lines_strict") for e in entries]
        if strict != [e.get("lines") for e in entries]:
            text += f" (strict {_seq(strict)})"
        text += f"; orient. {_seq([e.get('orientations') for e in entries])}"
        strict = [e.get("orientations_strict") for e in entries]
        if strict != [e.get("orientations") for e in entries]:
            text += f" (strict {_seq(strict)})"
        parts.append(text)
    return "; ".join(parts)


def condensed(summaries: list[dict[str, Any]]) -> str:
    pairs = looked_at(summaries[0])
    yes = sum(all((_layer(s, step, layer) or {}).get("condensed") is True for step, layer in pairs)
              for s in summaries)
    return f"{yes}/{len(summaries)}"


def predicted(summaries: list[dict[str, Any]]) -> str:
    values = {(s["predicted_lines"], s["predicted_orientations"]) for s in summaries}
    if values == {(None, None)}:
        return "-"
    return " or ".join(f"{lines}/{orient}" for lines, orient in sorted(values, key=str))


def other_checks(summaries: list[dict[str, Any]]) -> str:
    """The checks that are not counts: polynomial fit distances, direction error."""
    checks = [s["checks"] for s in summaries]
    parts = []
    for i, first in enumerate(checks[0]):
        if first["check"] in ("polynomial_degree", "not_polynomial_degrees"):
            degrees = sorted({int(k) for k in first["distances"]})
            spans = [f"{k}: {min(d):.2f}-{max(d):.2f}"
                     for k in degrees for d in [[c[i]["distances"][str(k)] for c in checks]]]
            closest = [min(c[i]["distances"], key=c[i]["distances"].get) for c in checks]
            parts.append(f"closest fit degree {','.join(closest)}; distance to fit of degree " + ", ".join(spans))
        elif first["check"] == "max_direction_error":
            errors = [c[i].get("measured") for c in checks]
            known = [e for e in errors if e is not None]
            span = f"{min(known):.2f}-{max(known):.2f} rad" if known else "-"
            parts.append(f"worst peak {span} from the theory")
    return "; ".join(parts) or "-"


def row(name: str, figure: str, expect: dict[str, Any], walls: list[float], summaries: list[dict[str, Any]]) -> str:
    met = sum(s["met"] is True for s in summaries)
    return (f"| {name} | {figure} | {paper_statement(expect)} | {predicted(summaries)} | {counts(summaries)} | "
            f"{condensed(summaries)} | {other_checks(summaries)} | {statistics.median(walls):.1f} | "
            f"{met}/{len(summaries)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="*")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--subprocess", action="store_true", help="one condense-tui process per run")
    parser.add_argument("--json", help="also write every summary here")
    args = parser.parse_args()
    names = args.presets or [n for n in preset_names() if load_preset(n).data not in REAL_DATA]
    how = "one process per run (time includes start-up)" if args.subprocess else "in one process"
    print(f"<!-- {args.seeds} seeds per preset, {how}; load average before: {os.getloadavg()[0]:.2f} -->")
    print(f"| preset | figure | the paper | predicted lines/orient. | at the paper's step, seeds 0..{args.seeds - 1}: "
          "lines; orientations (0.5 rad merge; strict cos 0.95 where it differs) | condensed | other checks "
          "| time per run (s) | met |")
    print("|---|---|---|---|---|---|---|---|---|")
    everything = {}
    for name in names:
        config = load_preset(name)
        results = [run_subprocess(name, seed) if args.subprocess
                   else run_in_process(config.replace(seed=seed, log_every=1_000_000))
                   for seed in range(args.seeds)]
        summaries = [summary for _, summary in results]
        everything[name] = summaries
        print(row(name, config.figure, dict(config.expect), [wall for wall, _ in results], summaries), flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(everything, handle, indent=1)


if __name__ == "__main__":
    main()
