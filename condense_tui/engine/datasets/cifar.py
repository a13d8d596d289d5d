"""CIFAR-10 from its python pickle batches (cifar-10-batches-py/data_batch_1..5, test_batch).

The batches are pickles, so they are read with an unpickler that builds only plain containers and
NumPy arrays: a tampered file cannot run code.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np

from .errors import malformed, missing

FOLDER = "cifar-10-batches-py"
FILES = {"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)}
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
SHAPE = (3, 32, 32)  # each row of b'data' is 1024 red, then 1024 green, then 1024 blue values

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),  # protocol 5
    ("_codecs", "encode"),  # how Python 3 writes bytes at protocol 2 (a re-pickled batch)
}


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"it refers to {module}.{name}, which a CIFAR batch never does")


def batch_folder(data_dir: Path) -> tuple[Path | None, list[Path]]:
    """The folder holding the batches (data_dir/cifar-10-batches-py or data_dir itself) and the
    places looked at."""
    looked = [data_dir / FOLDER, data_dir]
    for folder in looked:
        if (folder / "data_batch_1").is_file() or (folder / "test_batch").is_file():
            return folder, looked
    return None, looked


def _field(batch: dict, key: str) -> Any:
    for k in (key.encode(), key):  # the originals use bytes keys; a re-pickled copy may use str
        if k in batch:
            return batch[k]
    return None


def read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (k, 3, 32, 32), labels int64 (k,)) of one batch file."""
    try:
        with path.open("rb") as f:
            batch = _ArraysOnly(f, encoding="bytes").load()
    except OSError as err:
        raise malformed("CIFAR-10", path, f"cannot be read ({err.strerror or err})") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError,
            KeyError) as err:
        problem = f"not a complete CIFAR-10 python batch ({err or 'cut short'})"
        raise malformed("CIFAR-10", path, problem) from None
    if not isinstance(batch, dict):
        raise malformed("CIFAR-10", path, f"holds a {type(batch).__name__}, not a batch dictionary")
    data, labels = _field(batch, "data"), _field(batch, "labels")
    if data is None or labels is None:
        raise malformed("CIFAR-10", path, "no b'data' and b'labels' entries")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or \
            data.shape[1] != int(np.prod(SHAPE)):
        got = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise malformed("CIFAR-10", path, f"b'data' is {got}, expected uint8 rows of 3072 values")
    try:
        labels = np.asarray(labels, dtype=np.int64)
    except (TypeError, ValueError):
        raise malformed("CIFAR-10", path, "b'labels' is not a list of whole numbers") from None
    if labels.shape != (len(data),):
        raise malformed("CIFAR-10", path, f"{labels.size} labels for {len(data)} images")
    if len(labels) and (labels.min() < 0 or labels.max() > 9):
        bad = labels[(labels < 0) | (labels > 9)][0]
        raise malformed("CIFAR-10", path, f"label {int(bad)} is outside 0..9")
    return data.reshape((len(data), *SHAPE)), labels


def load_cifar10(data_dir: Path, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (n, 3, 32, 32), labels int64 (n,)): the five training batches in order, or the
    test batch."""
    folder, looked = batch_folder(data_dir)
    names = FILES[split]
    if folder is None:  # no batch anywhere: name the whole folder
        raise missing("CIFAR-10", [f"{FOLDER}/ holding data_batch_1..data_batch_5 and test_batch"], looked)
    absent = [n for n in names if not (folder / n).is_file()]
    if absent:
        raise missing("CIFAR-10", absent, [folder])
    parts = [read_batch(folder / name) for name in names]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
