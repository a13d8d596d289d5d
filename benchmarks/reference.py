"""The reference: a training loop written the way the paper's notebooks write it.

nn.Sequential(Linear(d, m), activation module, Linear(m, 1, bias=False)), every parameter drawn
from N(0, std^2), nn.MSELoss, torch.optim.Adam (or SGD for gradient descent), autograd, and
loss.item() every step. Nothing here is tuned: it is what the engine is measured against.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class PowerTanh(nn.Module):
    """x^k * tanh(x), as a notebook writes it."""

    def __init__(self, k: int):
        super().__init__()
        self.k = k

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x**self.k * torch.tanh(x)


def activation_module(name: str) -> nn.Module:
    if name == "tanh":
        return nn.Tanh()
    if name == "xtanh":
        return PowerTanh(1)
    if name == "x2tanh":
        return PowerTanh(2)
    raise ValueError(f"the reference loop has no activation {name!r}")


def build_model(input_dim: int, width: int, activation: str, std: float,
                dtype: torch.dtype = torch.float32) -> nn.Sequential:
    model = nn.Sequential(nn.Linear(input_dim, width, bias=True), activation_module(activation),
                          nn.Linear(width, 1, bias=False)).to(dtype)
    with torch.no_grad():
        for param in model.parameters():
            nn.init.normal_(param, 0.0, std)
    return model


def load_engine_parameters(model: nn.Sequential, weights: np.ndarray, output: np.ndarray) -> None:
    """Copy one engine network into the module: W (m, d + 1) holds the bias as its last column."""
    first, last = model[0], model[2]
    dtype = first.weight.dtype
    with torch.no_grad():
        first.weight.copy_(torch.as_tensor(weights[:, :-1], dtype=dtype))
        first.bias.copy_(torch.as_tensor(weights[:, -1], dtype=dtype))
        last.weight.copy_(torch.as_tensor(output[None, :], dtype=dtype))


class ReferenceLoop:
    """One network trained notebook-style; train(steps) returns the per-step losses."""

    def __init__(self, x: np.ndarray, y: np.ndarray, width: int, activation: str, std: float,
                 optimizer: str, lr: float, dtype: torch.dtype = torch.float32, seed: int = 0):
        torch.manual_seed(seed)
        self.x = torch.as_tensor(x, dtype=dtype)
        self.y = torch.as_tensor(y, dtype=dtype).reshape(-1, 1)
        self.model = build_model(x.shape[1], width, activation, std, dtype)
        self.optimizer_name, self.lr = optimizer, lr
        self.loss_fn = nn.MSELoss()
        self.initial_state = {k: v.clone() for k, v in self.model.state_dict().items()}
        self.reset_optimizer()

    def restart(self) -> None:
        """Back to the initial weights with a fresh optimizer."""
        self.model.load_state_dict(self.initial_state)
        self.reset_optimizer()

    def reset_optimizer(self) -> None:
        params = self.model.parameters()
        if self.optimizer_name == "adam":
            self.optimizer = torch.optim.Adam(params, lr=self.lr)
        elif self.optimizer_name == "gd":
            self.optimizer = torch.optim.SGD(params, lr=self.lr)
        else:
            raise ValueError(self.optimizer_name)

    def train(self, steps: int) -> list[float]:
        """Losses of the weights before each update, as loss.item() every step."""
        losses = []
        for _ in range(steps):
            self.optimizer.zero_grad()
            loss = self.loss_fn(self.model(self.x), self.y)
            loss.backward()
            self.optimizer.step()
            losses.append(loss.item())
        return losses

