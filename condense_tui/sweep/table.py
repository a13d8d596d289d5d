"""The sweep's answer: rows grouped over seeds, one line per setting (for stderr, README, the TUI)."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table

COLUMNS = ("runs", "orientations", "at end", "condensed", "bound", "within 2p", "met", "RD", "eff. rank",
           "settled", "loss")


def _span(values: list[int]) -> str:
    return "-" if not values else str(values[0]) if min(values) == max(values) else f"{min(values)}-{max(values)}"


def _fraction(flags: list[Any]) -> str:
    known = [f for f in flags if f is not None]
    return f"{sum(bool(f) for f in known)}/{len(known)}" if known else "n/a"


def _mean(values: list[float | None]) -> str:
    finite = [v for v in values if v is not None]
    return f"{statistics.fmean(finite):.3g}" if finite else "-"


def summarize(rows: list[dict[str, Any]], axes: dict[str, list[Any]]) -> list[dict[str, str]]:
    """One dict per setting of the non-seed axes (in grid order), aggregated over its seeds.

    orientations: the range over seeds at the watch step (the end when there is none), first layer;
    at end: the same at the last step (a run whose layer has not condensed has no count);
    condensed: how many seeds' first layer condensed by the end;
    within 2p / met: how many seeds meet the bound / the preset's statement."""
    shown = [a for a in axes if a != "seed"]
    place = {a: {str(v): i for i, v in enumerate(values)} for a, values in axes.items()}
    ordered = sorted(rows, key=lambda r: [place[a].get(str(r["settings"].get(a)), -1) for a in shown])
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in ordered:
        groups.setdefault(tuple(str(row["settings"].get(a)) for a in shown), []).append(row)
    lines = []
    for key, members in groups.items():
        counts = [(r["watch_orientations"] or r["orientations"] or [None])[0] for r in members]
        bounds = {(r["bound"] or [None])[0] for r in members}
        settled = [r["settled_step"] for r in members if r["settled_step"] is not None]
        lines.append({
            **dict(zip(shown, key)), "runs": str(len(members)),
            "orientations": _span(sorted(c for c in counts if c is not None)),
            "at end": _span(sorted(r["orientations"][0] for r in members
                                   if r["orientations"] and r["orientations"][0] is not None)),
            "condensed": _fraction([(r.get("condensed") or [None])[0] for r in members]),
            "bound": ", ".join("-" if b is None else str(b) for b in sorted(bounds, key=str)),
            "within 2p": _fraction([r["within_bound"] for r in members]),
            "met": _fraction([r["met"] for r in members]),
            "RD": _mean([r["rd"] for r in members]),
            "eff. rank": _mean([(r["effective_rank"] or [None])[0] for r in members]),
            "settled": str(int(statistics.median(settled))) if settled else "-",
            "loss": _mean([r["final_loss"] for r in members]),
        })
    return lines


def rich_table(lines: list[dict[str, str]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    headers = list(lines[0]) if lines else list(COLUMNS)
    table = Table(*headers, box=None, header_style="bold")
    for line in lines:
        table.add_row(*(Text(line[h]) for h in headers))  # Text: values are never read as markup
    return table


def markdown_table(lines: list[dict[str, str]]) -> str:
    if not lines:
        return ""
    headers = list(lines[0])
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(line[h] for h in headers) + " |" for line in lines]
    return "\n".join(out) + "\n"
