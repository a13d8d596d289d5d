"""Names the engine accepts, importable without NumPy or torch: the command line builds its choice
flags from them on every launch, `--help` included."""

from __future__ import annotations

SAMPLINGS = ("uniform", "grid")  # how 1-D inputs are drawn (engine/data.py)
OPTIMIZERS = ("adam", "flow", "gd")  # flow: engine.flow.GradientFlow, built by the model (it needs the gradient)
MNIST_TARGETS = ("digit", "digit/9")  # what an MNIST run fits (engine/datasets/mnist.py)
