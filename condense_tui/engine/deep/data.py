"""CIFAR-10 on the training device: uint8 images kept there, normalised (and optionally augmented)
one mini-batch at a time, so the only host-to-device copy is the data set, once."""

from __future__ import annotations

import numpy as np
import torch

from ..datasets import NotEnoughData, load_cifar10, resolve_data_dir

PAD = 4  # random-crop padding, in pixels


def _subset(images: np.ndarray, labels: np.ndarray, n: int | None, key: str, split: str,
            where: str) -> tuple[np.ndarray, np.ndarray]:
    if n is None:
        return images, labels
    if n > len(images):
        raise NotEnoughData(f"{key} = {n} asks for more than the {len(images)} CIFAR-10 {split} images in "
                            f"{where}; lower {key} or leave it unset to use them all")
    return images[:n], labels[:n]


def channel_stats(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and standard deviation of uint8 images scaled to [0, 1]."""
    mean, std = np.empty(3), np.empty(3)
    for c in range(3):
        values = images[:, c].astype(np.float32) / np.float32(255.0)
        mean[c] = values.mean(dtype=np.float64)
        std[c] = values.std(dtype=np.float64)
    return mean, np.maximum(std, 1e-6)


class CifarTensors:
    """The training and test images of a run: the first n / n_test of each split."""

    def __init__(self, data_dir: str | None, n: int | None, n_test: int | None, device: torch.device,
                 dtype: torch.dtype):
        folder = resolve_data_dir(data_dir)
        train = _subset(*load_cifar10(folder, "train"), n, "n", "training", str(folder))
        test = _subset(*load_cifar10(folder, "test"), n_test, "n_test", "test", str(folder))
        mean, std = channel_stats(train[0])  # preprocessing is not stated: standardise per channel
        self.device, self.dtype = device, dtype
        self.mean = torch.tensor(mean, dtype=dtype, device=device).view(1, 3, 1, 1)
        self.std = torch.tensor(std, dtype=dtype, device=device).view(1, 3, 1, 1)
        self.train_x = torch.from_numpy(train[0]).to(device)
        self.train_y = torch.from_numpy(train[1]).to(device)
        self.test_x = torch.from_numpy(test[0]).to(device)
        self.test_y = torch.from_numpy(test[1]).to(device)

    @property
    def n_train(self) -> int:
        return len(self.train_y)

    @property
    def n_test(self) -> int:
        return len(self.test_y)

    def prepare(self, images: torch.Tensor, augment: bool = False,
                generator: torch.Generator | None = None) -> torch.Tensor:
        x = (images.to(self.dtype) / 255.0 - self.mean) / self.std
        return crop_flip(x, generator) if augment else x


def crop_flip(x: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """Each image shifted by up to PAD pixels (zero padding) and mirrored with probability 1/2,
    in one gather; the random numbers come from the CPU generator, so runs repeat on any device."""
    b, c, h, w = x.shape
    padded = torch.nn.functional.pad(x, (PAD, PAD, PAD, PAD))
    dy = torch.randint(0, 2 * PAD + 1, (b,), generator=generator).to(x.device)
    dx = torch.randint(0, 2 * PAD + 1, (b,), generator=generator).to(x.device)
    flip = (torch.rand(b, generator=generator) < 0.5).to(x.device)
    rows = dy[:, None] + torch.arange(h, device=x.device)
    cols = dx[:, None] + torch.arange(w, device=x.device)
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    batch = torch.arange(b, device=x.device)[:, None, None, None]
    channel = torch.arange(c, device=x.device)[None, :, None, None]
    return padded[batch, channel, rows[:, None, :, None], cols[:, None, None, :]]
