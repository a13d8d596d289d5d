"""The Fig 1 network: a ResNet18-like convolutional part (CIFAR form: a 3x3 stem, no max-pool, four
stages of two basic blocks, global average pooling) and a fully connected head
features -> m -> ... -> m -> 10 with an activation from the engine's registry per hidden layer and
no output bias (as in the paper's networks)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ..activations import Activation
from ..backend import Backend
from .inits import init_linear_

STAGES = (1, 2, 4, 8)  # channel multipliers of backbone_width
BLOCKS = 2  # basic blocks per stage: ResNet18


class BasicBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or c_in != c_out:  # projection when the shape changes
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False),
                                          nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class Backbone(nn.Module):
    """ResNet18's convolutional part; width 64 gives the standard 64-128-256-512 channels."""

    def __init__(self, width: int = 64):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        layers: list[nn.Module] = []
        c_in = width
        for i, mult in enumerate(STAGES):
            c_out = width * mult
            for b in range(BLOCKS):
                layers.append(BasicBlock(c_in, c_out, 2 if (b == 0 and i > 0) else 1))
                c_in = c_out
        self.stages = nn.Sequential(*layers)
        self.out_features = c_in

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.stages(self.stem(x)).mean(dim=(2, 3))


class Head(nn.Module):
    """Hidden FC layers (with bias) and the output layer (without)."""

    def __init__(self, in_features: int, widths: Sequence[int], activations: Sequence[Activation],
                 classes: int = 10):
        super().__init__()
        ins = (in_features, *widths[:-1])
        self.hidden = nn.ModuleList(nn.Linear(i, m) for i, m in zip(ins, widths))
        self.out = nn.Linear(widths[-1], classes, bias=False)
        self.activations = tuple(activations)
        self._backend = Backend("torch", "cpu", "float32")  # the registry's functions only read its name

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        for linear, act in zip(self.hidden, self.activations):
            h = act(linear(h), self._backend)
        return self.out(h)

    def layers(self) -> list[nn.Linear]:
        """Every FC layer in order, the output layer last."""
        return [*self.hidden, self.out]


class Fig1Net(nn.Module):
    def __init__(self, backbone_width: int, widths: Sequence[int], activations: Sequence[Activation],
                 fc_init: str, std: float, classes: int = 10):
        super().__init__()
        self.backbone = Backbone(backbone_width)  # torch's default init (not stated in the paper)
        self.head = Head(self.backbone.out_features, widths, activations, classes)
        for linear in self.head.layers():
            init_linear_(linear, fc_init, std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))
