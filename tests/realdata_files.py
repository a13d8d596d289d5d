"""Tiny files in the real MNIST (IDX) and CIFAR-10 (python pickle batch) formats, written here
independently of the loaders so the tests check the loaders against the formats themselves."""

from __future__ import annotations

import gzip
import pickle
import struct
from pathlib import Path

import numpy as np

MNIST_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def idx_bytes(values: np.ndarray, type_code: int = 0x08) -> bytes:
    """IDX: two zero bytes, the element type, the rank, big-endian uint32 sizes, the elements."""
    header = struct.pack(">HBB", 0, type_code, values.ndim)
    header += struct.pack(">" + "I" * values.ndim, *values.shape)
    return header + values.astype(values.dtype.newbyteorder(">")).tobytes()  # elements big-endian


def write(path: Path, raw: bytes, gz: bool) -> Path:
    if gz:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)
    return path


def write_mnist(folder: Path, n_train: int = 12, n_test: int = 5, gz: bool = True,
                seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Random 28x28 uint8 images and digit labels for both splits; returns what was written."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for split, n in (("train", n_train), ("test", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        image_name, label_name = MNIST_NAMES[split]
        write(folder / image_name, idx_bytes(images), gz)
        write(folder / label_name, idx_bytes(labels), gz)
        written[split] = (images, labels)
    return written


def cifar_batch(images: np.ndarray, labels: np.ndarray, name: str) -> dict:
    """A batch dict as the originals hold it: bytes keys, rows of 3072 uint8, labels as a list."""
    return {
        b"batch_label": name.encode(),
        b"labels": [int(v) for v in labels],
        b"data": images.reshape(len(images), -1).astype(np.uint8),
        b"filenames": [f"img_{i}.png".encode() for i in range(len(images))],
    }


def write_cifar(data_dir: Path, per_batch: int = 4, n_test: int = 6, inside: bool = True,
                seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Five training batches and a test batch, in data_dir/cifar-10-batches-py (or data_dir)."""
    rng = np.random.default_rng(seed)
    folder = data_dir / "cifar-10-batches-py" if inside else data_dir
    folder.mkdir(parents=True, exist_ok=True)
    train_images, train_labels = [], []
    for i in range(1, 6):
        images = rng.integers(0, 256, size=(per_batch, 3, 32, 32), dtype=np.uint8)
        labels = rng.integers(0, 10, size=per_batch)
        with (folder / f"data_batch_{i}").open("wb") as f:
            pickle.dump(cifar_batch(images, labels, f"training batch {i} of 5"), f, protocol=2)
        train_images.append(images)
        train_labels.append(labels)
    test_images = rng.integers(0, 256, size=(n_test, 3, 32, 32), dtype=np.uint8)
    test_labels = rng.integers(0, 10, size=n_test)
    with (folder / "test_batch").open("wb") as f:
        pickle.dump(cifar_batch(test_images, test_labels, "testing batch 1 of 1"), f, protocol=2)
    return {"train": (np.concatenate(train_images), np.concatenate(train_labels)),
            "test": (test_images, test_labels)}


class Py2StylePickler(pickle._Pickler):
    """Writes bytes as Python 2 `str` (BINSTRING), as the original CIFAR-10 batches (pickled by
    Python 2's cPickle) hold their pixel data."""

    dispatch = pickle._Pickler.dispatch.copy()

    def _save_py2_str(self, obj: bytes) -> None:
        self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = _save_py2_str


def py2_style_batch(images: np.ndarray, labels: np.ndarray) -> bytes:
    """A batch pickled as Python 2 did it: protocol 2, str data, numpy.core module paths."""
    import io

    buffer = io.BytesIO()
    Py2StylePickler(buffer, protocol=2).dump(cifar_batch(images, labels, "training batch 1 of 5"))
    return buffer.getvalue().replace(b"cnumpy._core.multiarray\n", b"cnumpy.core.multiarray\n")
