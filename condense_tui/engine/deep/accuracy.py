"""AccuracyLog: the CIFAR-10 model's accuracy history, train (running, over an epoch's mini-batches in
training mode) and test (held-out images, eval mode), as the snapshots' extras carry it."""

from __future__ import annotations

import torch

from .data import CifarTensors

EVAL_BATCH = 500  # test images per forward pass when measuring accuracy


class AccuracyLog:
    def __init__(self, device: torch.device):
        self.device = device
        self.clear()

    def clear(self) -> None:
        self._correct = torch.zeros((), dtype=torch.int64, device=self.device)
        self.seen = 0  # training images counted since the last evaluation
        self._history: dict[str, list[float]] = {"step": [], "epoch": [], "train": [], "test": []}

    def count(self, logits: torch.Tensor, labels: torch.Tensor) -> None:
        """Add one mini-batch's hits, on the device (no host sync)."""
        with torch.no_grad():
            self._correct += (logits.argmax(dim=1) == labels).sum()
        self.seen += len(labels)

    def evaluate(self, step: int, epoch: float, net: torch.nn.Module, data: CifarTensors) -> None:
        """Append train and test accuracy at `step`, and start counting the next period afresh."""
        train = self._correct.item() / self.seen if self.seen else float("nan")
        self._history["step"].append(step)
        self._history["epoch"].append(epoch)
        self._history["train"].append(train)
        self._history["test"].append(held_out_accuracy(net, data))
        self._correct.zero_()
        self.seen = 0

    def history(self) -> dict[str, tuple[float, ...]]:
        return {k: tuple(v) for k, v in self._history.items()}


def held_out_accuracy(net: torch.nn.Module, data: CifarTensors) -> float:
    if data.n_test == 0:
        return float("nan")
    net.eval()
    correct = torch.zeros((), dtype=torch.int64, device=data.device)
    with torch.no_grad():
        for start in range(0, data.n_test, EVAL_BATCH):
            x = data.prepare(data.test_x[start:start + EVAL_BATCH])
            correct += (net(x).argmax(dim=1) == data.test_y[start:start + EVAL_BATCH]).sum()
    net.train()
    return correct.item() / data.n_test
