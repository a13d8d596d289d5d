"""Hostile data files, tiny on disk: each is refused with one line naming the file and the limit,
before anything large is inflated, read or allocated."""

from __future__ import annotations

import gzip
import io
import pickle
import struct
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest
from clihelp import assert_one_line_error, invoke
from realdata_files import cifar_batch, idx_bytes, write_mnist

from condense_tui.engine.datasets import DataFileMalformed, load_cifar10, load_mnist
from condense_tui.engine.datasets.cifar import MAX_BATCH_FILE_BYTES, read_batch
from condense_tui.engine.datasets.idx import MAX_IDX_BYTES, IdxError, read_idx_stream
from condense_tui.engine.datasets.mnist import MAX_IMAGES

IMAGES = "train-images-idx3-ubyte"


def idx_header(shape: tuple[int, ...], code: int = 0x08) -> bytes:
    return struct.pack(">HBB", 0, code, len(shape)) + struct.pack(">" + "I" * len(shape), *shape)


def gzip_of_zeros(path: Path, header: bytes, zeros: int) -> Path:
    """A gzip whose stream is `header` then `zeros` zero bytes, compressed chunk by chunk."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    parts, chunk = [packer.compress(header)], bytes(1 << 20)
    for start in range(0, zeros, len(chunk)):
        parts.append(packer.compress(chunk[: min(len(chunk), zeros - start)]))
    path.write_bytes(b"".join(parts) + packer.flush())
    return path


def mnist_folder_with(tmp_path: Path, name: str, write) -> Path:
    """Good MNIST files, then the training images replaced by what `write(path)` makes."""
    write_mnist(tmp_path, n_train=4, n_test=2, gz=False)
    (tmp_path / IMAGES).unlink()
    write(tmp_path / name)
    return tmp_path


def mnist_error(folder: Path) -> str:
    with pytest.raises(DataFileMalformed) as caught:
        load_mnist(folder)
    message = str(caught.value)
    assert "\n" not in message
    return message


class CountingStream:
    """A stream that counts the bytes handed out."""

    def __init__(self, inner: io.BufferedIOBase):
        self.inner, self.count = inner, 0

    def read(self, size: int = -1) -> bytes:
        data = self.inner.read(size)
        self.count += len(data)
        return data

    def readinto(self, buffer: memoryview) -> int | None:
        got = self.inner.readinto(buffer)
        self.count += got or 0
        return got


def test_gzip_declaring_gigabytes_is_refused_after_its_header(tmp_path):
    # 3 million 28x28 images declared (2.35 GB): refused on the header, nothing inflated
    folder = mnist_folder_with(tmp_path, IMAGES + ".gz",
                               lambda p: gzip_of_zeros(p, idx_header((3_000_000, 28, 28)), 1 << 20))
    message = mnist_error(folder)
    assert str(folder / (IMAGES + ".gz")) in message
    assert "3000000x28x28" in message and f"{MAX_IMAGES * 784} bytes" in message and "limit" in message


def test_any_idx_file_is_capped_at_max_idx_bytes():
    header = idx_header((2**16, 2**16, 2**16), 0x0E)  # 2^48 float64 values
    with pytest.raises(IdxError, match=f"{MAX_IDX_BYTES} bytes .* limit"):
        read_idx_stream(io.BytesIO(header), 2**62)


def test_gzip_inflating_past_its_header_reads_only_declared_plus_one(tmp_path):
    # 4 images declared, 64 MiB of zeros in the stream (a 64 KiB file)
    path = gzip_of_zeros(tmp_path / "bomb.gz", idx_header((4, 28, 28)), 64 << 20)
    assert path.stat().st_size < 200_000
    with gzip.open(path, "rb") as raw:
        stream = CountingStream(raw)
        with pytest.raises(IdxError, match="too long"):
            read_idx_stream(stream, path.stat().st_size * 1032)
    assert stream.count == 16 + 4 * 28 * 28 + 1
    folder = mnist_folder_with(tmp_path / "m", IMAGES + ".gz", lambda p: p.write_bytes(path.read_bytes()))
    assert "too long" in mnist_error(folder)


def test_declared_size_beyond_what_a_small_gzip_can_hold(tmp_path):
    folder = mnist_folder_with(tmp_path, IMAGES + ".gz",
                               lambda p: p.write_bytes(gzip.compress(idx_header((50_000, 28, 28)))))
    message = mnist_error(folder)
    assert "more than the file can hold" in message and IMAGES in message


def test_dimensions_whose_product_wraps_64_bits_name_the_file(tmp_path):
    huge = (2**32 - 1, 2**32 - 1, 2**32 - 1)  # 7.9e28 elements: wraps an int64 product
    folder = mnist_folder_with(tmp_path, IMAGES, lambda p: p.write_bytes(idx_header(huge)))
    message = mnist_error(folder)
    assert str(folder / IMAGES) in message and "limit" in message
    assert "x".join(map(str, huge)) in message


def test_sparse_20_gb_idx_file_is_not_read(tmp_path):
    def sparse(path: Path) -> None:
        path.write_bytes(idx_header((4, 28, 28)))
        with path.open("r+b") as f:
            f.truncate(20 * 2**30)

    folder = mnist_folder_with(tmp_path, IMAGES, sparse)
    tracemalloc.start()
    try:
        message = mnist_error(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "too long" in message and str(20 * 2**30) in message
    assert peak < 1 << 20


def test_good_gzip_and_plain_files_still_load(tmp_path):
    for gz in (True, False):
        written = write_mnist(tmp_path / str(gz), n_train=6, n_test=3, gz=gz)
        images, labels = load_mnist(tmp_path / str(gz))
        np.testing.assert_array_equal(images, written["train"][0])
        np.testing.assert_array_equal(labels, written["train"][1])


# -- CIFAR-10 pickle batches ------------------------------------------------------------------------
class Reduce:
    """Pickles as a call of `func(*args)`: how a crafted batch asks NumPy for an array."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def write_batch(path: Path, batch: object) -> Path:
    path.write_bytes(pickle.dumps(batch, protocol=2))
    return path


def batch_error(path: Path) -> str:
    with pytest.raises(DataFileMalformed) as caught:
        read_batch(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_batch_declaring_a_huge_array_is_refused_before_allocating(tmp_path):
    big = Reduce(np.ndarray, (2_000_000, 3072), np.dtype("u1"))
    path = write_batch(tmp_path / "data_batch_1", {b"data": big, b"labels": []})
    assert path.stat().st_size < 300
    message = batch_error(path)
    assert "2000000x3072" in message and "limit" in message


def test_batch_reconstructing_a_huge_array_is_refused(tmp_path):
    from numpy._core.multiarray import _reconstruct

    big = Reduce(_reconstruct, np.ndarray, (2_000_000, 3072), b"b")
    message = batch_error(write_batch(tmp_path / "data_batch_1", {b"data": big, b"labels": []}))
    assert "2000000x3072" in message and "limit" in message


def test_many_arrays_within_the_one_array_cap_hit_the_file_cap(tmp_path):
    arrays = [Reduce(np.ndarray, (10_000, 3072), np.dtype("u1")) for _ in range(3)]
    message = batch_error(write_batch(tmp_path / "data_batch_1", {b"data": arrays[0], b"x": arrays}))
    assert "limit for one file" in message


def test_shared_nested_label_lists_are_refused_before_converting(tmp_path):
    row = [0] * 1000
    table = [row] * 1000
    labels = [table] * 1000  # 10^9 elements once expanded; a few KB pickled
    path = write_batch(tmp_path / "data_batch_1", {b"data": np.zeros((1000, 3072), np.uint8),
                                                   b"labels": labels})
    tracemalloc.start()
    try:
        message = batch_error(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "flat list of whole numbers" in message
    assert peak < 20 << 20


def test_codec_other_than_latin1_is_refused(tmp_path):
    import _codecs

    blob = Reduce(_codecs.encode, b"x" * 10, "zlib")
    assert "codec" in batch_error(write_batch(tmp_path / "data_batch_1", {b"data": blob, b"labels": []}))


def test_sparse_20_gb_batch_file_is_not_opened(tmp_path):
    path = tmp_path / "data_batch_1"
    path.write_bytes(b"\x80\x02")
    with path.open("r+b") as f:
        f.truncate(20 * 2**30)
    message = batch_error(path)
    assert str(MAX_BATCH_FILE_BYTES) in message and "limit" in message


def test_real_format_batches_still_load(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        images = rng.integers(0, 256, size=(3, 3, 32, 32), dtype=np.uint8)
        write_batch(folder / name, cifar_batch(images, np.arange(3), name))
    images, labels = load_cifar10(tmp_path)
    assert images.shape == (15, 3, 32, 32) and labels.tolist() == [0, 1, 2] * 5


def test_cli_refuses_a_hostile_file_with_one_line_and_exit_2(tmp_path):
    folder = mnist_folder_with(tmp_path, IMAGES + ".gz",
                               lambda p: gzip_of_zeros(p, idx_header((3_000_000, 28, 28)), 1024))
    result = invoke("--no-tui", "--preset", "fig4b", "--data-dir", str(folder), "--quiet")
    assert_one_line_error(result, str(folder / (IMAGES + ".gz")), "limit")


def test_idx_bytes_helper_round_trips_through_the_stream_reader():
    values = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    raw = idx_bytes(values, 0x0C)
    np.testing.assert_array_equal(read_idx_stream(io.BytesIO(raw), len(raw), exact=True), values)
