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
from .safe_pickle import BoundedArraysUnpickler

FOLDER = "cifar-10-batches-py"
FILES = {"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)}
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
SHAPE = (3, 32, 32)  # each row of b'data' is 1024 red, then 1024 green, then 1024 blue values

ROW = int(np.prod(SHAPE))
BATCH_IMAGES = 10000  # the most images one batch file may hold (each original holds 10000)
# An original batch file is 31 MB (its images, labels and file names); a file larger than this is
# refused before it is opened, so a huge (or sparse) file is never read.
MAX_BATCH_FILE_BYTES = 64 << 20
# What the unpickler lets one file's arrays declare: one batch of images, and a little more in all.
MAX_ARRAY_BYTES = BATCH_IMAGES * ROW
MAX_FILE_ARRAY_BYTES = MAX_ARRAY_BYTES + (1 << 20)


def batch_folder(data_dir: Path) -> tuple[Path | None, list[Path]]:
    """The folder holding the batches (data_dir/cifar-10-batches-py or data_dir itself) and the
    places looked at."""
    looked = [data_dir / FOLDER, data_dir]
    for folder in looked:
        if (folder / "data_batch_1").is_file() or (folder / "test_batch").is_file():
            return folder, looked
    return None, looked


def _field(batch: dict[Any, Any], key: str) -> Any:
    for k in (key.encode(), key):  # the originals use bytes keys; a re-pickled copy may use str
        if k in batch:
            return batch[k]
    return None


def _labels(path: Path, labels: Any, count: int) -> np.ndarray:
    """The labels as int64, after checking their structure: a flat list of whole numbers (or a 1-D
    integer array), one per image. Checked before converting, because a pickle can nest shared
    lists that np.asarray would expand to billions of elements."""
    if isinstance(labels, np.ndarray):
        if labels.ndim != 1 or labels.dtype.kind not in "ui":
            raise malformed("CIFAR-10", path, f"b'labels' is a {labels.dtype} array of shape "
                                              f"{labels.shape}, expected whole numbers")
    elif not isinstance(labels, (list, tuple)) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in labels):
        raise malformed("CIFAR-10", path, "b'labels' is not a flat list of whole numbers")
    if len(labels) != count:
        raise malformed("CIFAR-10", path, f"{len(labels)} labels for {count} images")
    try:
        values = np.asarray(labels, dtype=np.int64)
    except OverflowError:
        raise malformed("CIFAR-10", path, "a label is outside 0..9") from None
    if count and (values.min() < 0 or values.max() > 9):
        bad = values[(values < 0) | (values > 9)][0]
        raise malformed("CIFAR-10", path, f"label {int(bad)} is outside 0..9")
    return values


def _load(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BATCH_FILE_BYTES:  # checked before opening: a sparse 20 GB file is not read
            raise malformed("CIFAR-10", path, f"{size} bytes, over the {MAX_BATCH_FILE_BYTES}-byte "
                                              "limit for one batch file (an original is 31 MB)")
        with path.open("rb") as f:
            return BoundedArraysUnpickler(f, MAX_ARRAY_BYTES, MAX_FILE_ARRAY_BYTES).load()
    except OSError as err:
        raise malformed("CIFAR-10", path, f"cannot be read ({err.strerror or err})") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError,
            KeyError, OverflowError, RecursionError, MemoryError) as err:
        problem = f"not a complete CIFAR-10 python batch ({err or 'cut short'})"
        raise malformed("CIFAR-10", path, problem) from None


def read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (k, 3, 32, 32), labels int64 (k,)) of one batch file, k <= BATCH_IMAGES."""
    batch = _load(path)
    if not isinstance(batch, dict):
        raise malformed("CIFAR-10", path, f"holds a {type(batch).__name__}, not a batch dictionary")
    data, labels = _field(batch, "data"), _field(batch, "labels")
    if data is None or labels is None:
        raise malformed("CIFAR-10", path, "no b'data' and b'labels' entries")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or \
            data.shape[1] != ROW:
        got = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise malformed("CIFAR-10", path, f"b'data' is {got}, expected uint8 rows of 3072 values")
    if len(data) > BATCH_IMAGES:  # the unpickler's byte cap already implies it; said plainly here
        raise malformed("CIFAR-10", path, f"{len(data)} images, over the {BATCH_IMAGES} a batch holds")
    return data.reshape((len(data), *SHAPE)), _labels(path, labels, len(data))


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
    # each batch holds at most BATCH_IMAGES images (checked while unpickling), so the join below
    # allocates at most 5 x 30 MB
    parts = [read_batch(folder / name) for name in names]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
