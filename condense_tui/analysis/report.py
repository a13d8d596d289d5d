"""analyze(snapshot): every condensation measure of one network, layer by layer.

Both faces read these numbers; neither computes its own.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .adam_eps import HALF, step_fraction
from .counting import STRICT_ANGLE, Condensation, count_condensation, tightness
from .geometry import (
    amplitudes,
    angles_1d,
    block_order,
    effective_rank,
    leading_direction,
    orientation_histogram,
    relative_distance,
    spectrum,
    unit_rows,
)
from .growth import is_condensed, layer_growth, neuron_growth
from .signs import sign_index, sign_index_baseline
from .theory import Prediction, agreement, predict_orientations, predicted_counts

if TYPE_CHECKING:
    from ..engine.multiplicity import Multiplicity
    from ..engine.snapshot import RunContext, Snapshot

HISTOGRAM_BINS = 72
# p > 1 with d > 1 searches the sphere (cost ~ n (d+1) per ascent step; seconds at 20k entries): it is
# skipped above this many data entries (MNIST: 60000 x 785 would take many minutes). Deep runs carry
# no data (n = 0) and get no prediction either.
THEORY_MAX_ENTRIES = 20_000


@dataclass(frozen=True, eq=False)
class LayerAnalysis:
    layer: int  # 0-based hidden layer
    directions: np.ndarray  # (m, D) unit input weights (bias last)
    amplitudes: np.ndarray  # (m,)
    condensation: Condensation
    effective_rank: float  # of D = U U^T over all neurons (no threshold)
    top_eigen_fraction: float  # largest eigenvalue of D over its trace
    order: np.ndarray  # block-revealing neuron order
    bound: int | None  # 2p, None where p is not defined
    angles: np.ndarray | None  # 1-D input layers: atan2(b, w)
    histogram: np.ndarray | None  # amplitude-weighted, fixed bins over (-pi, pi]
    prediction: Prediction | None  # first layer only
    neuron_error: np.ndarray | None  # (m,) angle to the nearest predicted orientation
    peak_error: np.ndarray | None  # (k,) same, for each counted orientation's centre
    # leading right singular vector of the directions (None for an empty layer): one SVD, which
    # costs ~0.1 s at 1024 x 513 (a CIFAR-10 FC layer), shared by the block order and the views
    lead: np.ndarray | None = None
    growth: float = float("nan")  # amplitude-weighted median ||w_j|| / ||w_j(0)|| of kept neurons
    condensed: bool = False  # growth >= growth.GROWTH: the counts describe learned directions
    strict: Condensation | None = None  # the same count at cos 0.95 instead of 0.5 rad (condensed only)
    tightness: np.ndarray | None = None  # (k,) per orientation: amplitude share within cos 0.95
    sign_index: np.ndarray | None = None  # (k,) per orientation centre: |u|_1 / sqrt(D)

    @property
    def sign_baseline(self) -> float:
        """Mean sign index of a random direction in this layer's dimension."""
        return sign_index_baseline(self.directions.shape[1])

    @property
    def max_peak_error(self) -> float | None:
        """Largest angle (rad) from a counted orientation to its nearest prediction."""
        if self.peak_error is None or len(self.peak_error) == 0:
            return None
        return float(self.peak_error.max())

    @property
    def lines(self) -> int:
        return self.condensation.lines

    @property
    def orientations(self) -> int:
        return self.condensation.orientations

    @property
    def mean_error(self) -> float | None:
        """Amplitude-weighted mean angle (rad) of kept neurons to the nearest prediction."""
        if self.neuron_error is None:
            return None
        kept = self.condensation.kept
        w = self.amplitudes[kept]
        return float((self.neuron_error[kept] * w).sum() / w.sum()) if w.sum() > 0 else None


@dataclass(frozen=True, eq=False)
class Analysis:
    step: int
    layers: tuple[LayerAnalysis, ...]
    relative_distance: float
    # Adam's share of its normalised step for the median parameter (adam_eps.py); None: not Adam,
    # or before its first update
    adam_step_fraction: float | None = None

    @property
    def adam_eps_dominates(self) -> bool | None:
        return None if self.adam_step_fraction is None else self.adam_step_fraction <= HALF

    def summary(self) -> dict[str, Any]:
        """Plain numbers for logs and status lines (layer_summary for each layer)."""
        entry: dict[str, Any] = {"rd": self.relative_distance, "layers": [layer_summary(la) for la in self.layers]}
        if self.adam_step_fraction is not None:
            entry["adam_eps_dominates"] = self.adam_eps_dominates
            entry["adam_step_fraction"] = self.adam_step_fraction
        return entry


def layer_summary(la: LayerAnalysis) -> dict[str, Any]:
    """One layer's JSONL entry. Counts are None while the layer has not condensed (growth.py)."""
    counted = la.condensed
    strict = la.strict
    entry = {
        "layer": la.layer + 1,
        "lines": la.lines if counted else None,
        "orientations": la.orientations if counted else None,
        "bound": la.bound, "effective_rank": la.effective_rank,
        "top_eigen_fraction": la.top_eigen_fraction,
        "condensed": la.condensed,
        "growth": la.growth,
        "lines_strict": strict.lines if counted and strict is not None else None,
        "orientations_strict": strict.orientations if counted and strict is not None else None,
        "tightness": ([float(t) for t in la.tightness] if counted and la.tightness is not None else None),
        "sign_index": ([float(v) for v in la.sign_index] if counted and la.sign_index is not None else None),
        "sign_index_baseline": la.sign_baseline,
    }
    if la.peak_error is not None:
        entry["theory_error"] = la.mean_error
        entry["peak_errors"] = [float(e) for e in la.peak_error]
    if la.prediction is not None:
        entry.update(predicted_counts(la.prediction))
    return entry


_predictions: weakref.WeakKeyDictionary[object, Prediction | None] = weakref.WeakKeyDictionary()


def first_layer_prediction(context: RunContext) -> Prediction | None:
    """Theory for the first layer, computed once per run (it depends on data and p only)."""
    if context not in _predictions:
        mult = context.multiplicities[0]
        prediction = None
        size = context.x.shape[0] * (context.x.shape[1] + 1)
        too_big = (mult.p is not None and mult.p > 1 and context.x.shape[1] > 1
                   and size > THEORY_MAX_ENTRIES)
        if mult.p is not None and mult.derivative_p and len(context.y) and not too_big:
            slope0 = mult.derivative_p if mult.p == 1 else None
            prediction = predict_orientations(context.x, context.y, mult.p, mult.derivative_p, slope0,
                                              context.config.loss_scale)
        _predictions[context] = prediction
    return _predictions[context]


def analyze_layer(layer: int, weights: np.ndarray, output: np.ndarray | None, multiplicity: Multiplicity,
                  prediction: Prediction | None, initial_weights: np.ndarray | None = None) -> LayerAnalysis:
    """initial_weights: the layer at step 0 (without them the layer never reads as condensed)."""
    directions = unit_rows(weights)
    amp = amplitudes(weights, output)
    cond = count_condensation(directions, amp)
    growth = (layer_growth(neuron_growth(weights, initial_weights), amp, cond.kept)
              if initial_weights is not None else float("nan"))
    condensed = is_condensed(growth)
    # uncondensed, the strict count is not reported, and on random directions it would cost the
    # most (nearly one cluster per neuron)
    strict = count_condensation(directions, amp, angle=STRICT_ANGLE) if condensed else None
    eig = spectrum(directions)
    trace = eig.sum()
    angles = hist = None
    if weights.shape[1] == 2:
        angles = angles_1d(weights)
        hist, _ = orientation_histogram(angles, amp, HISTOGRAM_BINS)
    neuron_error = peak_error = None
    if prediction is not None:
        neuron_error = agreement(directions, prediction)
        peak_error = agreement(cond.centers, prediction)
    bound = 2 * multiplicity.p if multiplicity.p is not None else None
    lead = leading_direction(directions) if len(directions) else None
    return LayerAnalysis(layer, directions, amp, cond, effective_rank(eig),
                         float(eig[0] / trace) if trace > 0 else 0.0,
                         block_order(directions, cond.labels, lead),
                         bound, angles, hist, prediction, neuron_error, peak_error, lead,
                         growth, condensed, strict, tightness(directions, amp, cond),
                         sign_index(cond.centers))


def run_predicted_counts(context: RunContext) -> dict[str, int | None]:
    """predicted_lines / predicted_orientations of the first layer for the data in use (None: no
    theory for this run: ReLU, deep CIFAR runs, p > 1 on data too large to search)."""
    prediction = first_layer_prediction(context)
    if prediction is None:
        return {"predicted_lines": None, "predicted_orientations": None}
    return dict(predicted_counts(prediction))


def analyze(snapshot: Snapshot, replica: int = 0) -> Analysis:
    ctx = snapshot.context
    top = len(snapshot.layers) - 1
    layers = []
    for i, weights in enumerate(snapshot.layers):
        output = snapshot.output[replica] if i == top else None
        prediction = first_layer_prediction(ctx) if i == 0 else None
        layers.append(analyze_layer(i, weights[replica], output, ctx.multiplicities[i], prediction,
                                    snapshot.initial_layers[i][replica]))
    rd = relative_distance(tuple(w[replica] for w in snapshot.layers), snapshot.output[replica],
                           tuple(w[replica] for w in snapshot.initial_layers),
                           snapshot.initial_output[replica])
    moments = snapshot.extras.get("adam_sqrt_v")  # the engine's statistics of sqrt(v_hat), if Adam
    fraction = step_fraction(moments["median"], moments["eps"]) if moments else None
    return Analysis(snapshot.step, tuple(layers), rd, fraction)


_analyses: weakref.WeakKeyDictionary[object, Analysis] = weakref.WeakKeyDictionary()
_analyses_lock = threading.Lock()


def analysis_of(snapshot: Snapshot) -> Analysis:
    """analyze(snapshot, replica=0), computed once per snapshot while the snapshot lives: the faces
    ask for the same snapshot's measures several times (records, summary, charts, the TUI's views).
    Thread-safe; two threads asking at once may both compute it."""
    with _analyses_lock:
        found = _analyses.get(snapshot)
    if found is None:
        found = analyze(snapshot, replica=0)
        with _analyses_lock:
            _analyses[snapshot] = found
    return found
