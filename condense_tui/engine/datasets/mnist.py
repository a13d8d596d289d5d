"""MNIST from its four IDX files (gzipped or not), validated, and as regression data for the MLP."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..data import Dataset
from ..names import MNIST_TARGETS
from .errors import NotEnoughData, malformed, missing
from .idx import IdxError, read_idx

FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
IMAGE_MAGIC, LABEL_MAGIC = 0x00000803, 0x00000801
SIDE = 28
# The most images one file may declare: MNIST's training set. The memory estimate of an MNIST run
# (condense_tui/resources.py) counts this many when n is not set.
MAX_IMAGES = 60000
# The paper does not state how a digit becomes Fig 4b's one regression target: the digit itself
# by default, or scaled to [0, 1].


def candidate_dirs(data_dir: Path) -> list[Path]:
    """The folder itself, then the layouts people commonly have (mnist/, torchvision's MNIST/raw/)."""
    return [data_dir, data_dir / "mnist", data_dir / "MNIST" / "raw"]


def _find(base: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        for name in (base, base + ".gz"):
            if (folder / name).is_file():
                return folder / name
    return None


def _read(path: Path, magic: int, rank: int) -> np.ndarray:
    limit = MAX_IMAGES * (SIDE * SIDE if magic == IMAGE_MAGIC else 1)
    try:
        values = read_idx(path, magic, limit)
    except OSError as err:
        raise malformed("MNIST", path, f"cannot be read ({err.strerror or err})") from None
    except IdxError as err:
        problem = str(err)
        if problem.startswith("magic number 0x") and "expected" in problem:
            problem += f" for an {'image (idx3)' if magic == IMAGE_MAGIC else 'label (idx1)'} file"
        raise malformed("MNIST", path, problem) from None
    assert values.ndim == rank  # the magic number fixed the rank
    return values


def load_mnist(data_dir: Path, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (n, 28, 28), labels uint8 (n,)) of the `train` or `test` split."""
    folders = candidate_dirs(data_dir)
    image_base, label_base = FILES[split]
    image_path, label_path = _find(image_base, folders), _find(label_base, folders)
    if image_path is None or label_path is None:
        absent = [b for b, p in ((image_base, image_path), (label_base, label_path)) if p is None]
        raise missing("MNIST", [f"{b}[.gz]" for b in absent], folders)
    images = _read(image_path, IMAGE_MAGIC, 3)
    labels = _read(label_path, LABEL_MAGIC, 1)
    if images.shape[1:] != (SIDE, SIDE):
        raise malformed("MNIST", image_path,
                        f"images are {images.shape[1]}x{images.shape[2]}, expected {SIDE}x{SIDE}")
    if len(labels) != len(images):
        raise malformed("MNIST", label_path,
                        f"{len(labels)} labels for the {len(images)} images in {image_path.name}")
    if len(labels) and labels.max() > 9:
        raise malformed("MNIST", label_path, f"label {int(labels.max())} is outside 0..9")
    return images, labels


def mnist_dataset(data_dir: Path, n: int | None = None, target: str = "digit") -> Dataset:
    """The first n training images as x in [0, 1]^784 (float32: 60000 x 784 is large) and the digit
    (or digit/9) as the regression target y (float64)."""
    images, labels = load_mnist(data_dir, "train")
    if n is not None and n > len(images):
        raise NotEnoughData(f"n = {n} asks for more than the {len(images)} MNIST training images in "
                            f"{data_dir}; lower n or leave it unset to use them all")
    count = len(images) if n is None else n
    x = images[:count].reshape(count, SIDE * SIDE).astype(np.float32)
    x /= np.float32(255.0)  # in place: one float32 copy of the images, not two
    y = labels[:count].astype(np.float64)
    if target == "digit/9":
        y /= 9.0
    elif target != "digit":
        raise ValueError(f"unknown MNIST target {target!r}; choose {' or '.join(MNIST_TARGETS)}")
    return Dataset(x, y, f"MNIST: y = {target}")
