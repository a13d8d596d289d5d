import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from condense_tui.engine.datasets import (DATA_DIR_ENV, DataFileMalformed, DataFilesError,
                                          DataFilesMissing, NotEnoughData, load_cifar10, load_mnist,
                                          mnist_dataset, resolve_data_dir)
from condense_tui.engine.datasets.idx import IdxError, parse_idx
from realdata_files import cifar_batch, idx_bytes, write_cifar, write_mnist


def _one_line(err: Exception) -> str:
    text = str(err)
    assert "\n" not in text
    return text


# -- MNIST ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [True, False])
def test_mnist_reads_both_splits_exactly(tmp_path, gz):
    written = write_mnist(tmp_path, n_train=7, n_test=3, gz=gz)
    for split in ("train", "test"):
        images, labels = load_mnist(tmp_path, split)
        assert images.shape == (len(written[split][0]), 28, 28) and images.dtype == np.uint8
        np.testing.assert_array_equal(images, written[split][0])
        np.testing.assert_array_equal(labels, written[split][1])


def test_mnist_regression_data_scales_pixels_and_keeps_the_digit(tmp_path):
    written = write_mnist(tmp_path, n_train=9)
    data = mnist_dataset(tmp_path, n=5)
    images, labels = written["train"]
    assert data.x.shape == (5, 784)
    np.testing.assert_allclose(data.x, images[:5].reshape(5, 784) / 255.0, rtol=1e-6)
    assert 0.0 <= data.x.min() and data.x.max() <= 1.0
    np.testing.assert_array_equal(data.y, labels[:5].astype(float))
    assert mnist_dataset(tmp_path).n == 9
    with pytest.raises(NotEnoughData, match="n = 10 asks for more than the 9 MNIST training images"):
        mnist_dataset(tmp_path, n=10)


def test_mnist_found_in_torchvision_layout(tmp_path):
    written = write_mnist(tmp_path / "MNIST" / "raw", n_train=4)
    np.testing.assert_array_equal(load_mnist(tmp_path)[1], written["train"][1])


def test_missing_mnist_names_files_places_and_fix(tmp_path):
    with pytest.raises(DataFilesMissing) as info:
        load_mnist(tmp_path / "nowhere")
    text = _one_line(info.value)
    assert "train-images-idx3-ubyte[.gz]" in text and "train-labels-idx1-ubyte[.gz]" in text
    assert str(tmp_path / "nowhere") in text
    assert "--data-dir" in text and DATA_DIR_ENV in text


def test_missing_label_file_only_names_that_file(tmp_path):
    write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataFilesMissing, match="expected t10k-labels-idx1-ubyte") as info:
        load_mnist(tmp_path, "test")
    assert "t10k-images" not in str(info.value)


def _corrupt(tmp_path: Path, name: str, raw: bytes) -> None:
    write_mnist(tmp_path, n_train=6, gz=False)
    (tmp_path / name).write_bytes(raw)


images6 = np.zeros((6, 28, 28), np.uint8)


@pytest.mark.parametrize("name,raw,problem", [
    ("train-images-idx3-ubyte", idx_bytes(images6)[:-10], "truncated"),
    ("train-images-idx3-ubyte", idx_bytes(images6) + b"\0", "too long"),
    ("train-images-idx3-ubyte", idx_bytes(images6)[:9], "header cut short"),
    ("train-images-idx3-ubyte", b"\0\0", "shorter than the 4-byte magic"),
    ("train-images-idx3-ubyte", idx_bytes(np.zeros(6, np.uint8)), "expected 0x00000803"),
    ("train-labels-idx1-ubyte", idx_bytes(images6), "expected 0x00000801"),
    ("train-images-idx3-ubyte", b"PK\x03\x04" + bytes(100), "magic number 0x504b0304"),
    ("train-images-idx3-ubyte", idx_bytes(np.zeros((6, 28, 27), np.uint8)), "28x27, expected 28x28"),
    ("train-labels-idx1-ubyte", idx_bytes(np.zeros(5, np.uint8)), "5 labels for the 6 images"),
    ("train-labels-idx1-ubyte", idx_bytes(np.array([0, 1, 2, 3, 4, 10], np.uint8)), "label 10 is outside"),
])
def test_malformed_mnist_is_rejected_with_the_file_and_problem(tmp_path, name, raw, problem):
    _corrupt(tmp_path, name, raw)
    with pytest.raises(DataFileMalformed) as info:
        load_mnist(tmp_path)
    text = _one_line(info.value)
    assert problem in text and str(tmp_path / name) in text and "--data-dir" in text


def test_cut_gzip_is_rejected(tmp_path):
    write_mnist(tmp_path, gz=True)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(DataFileMalformed, match="not a complete gzip file"):
        load_mnist(tmp_path)


def test_idx_other_element_types_decode():
    values = np.arange(6, dtype=">i4").reshape(2, 3) - 3
    np.testing.assert_array_equal(parse_idx(idx_bytes(values, 0x0C)), values)
    with pytest.raises(IdxError, match="not an IDX header"):
        parse_idx(b"\0\0\x07\x01" + bytes(8))


# -- CIFAR-10 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("inside", [True, False])
def test_cifar_reads_batches_in_order_exactly(tmp_path, inside):
    written = write_cifar(tmp_path, per_batch=3, n_test=4, inside=inside)
    for split in ("train", "test"):
        images, labels = load_cifar10(tmp_path, split)
        assert images.shape == (len(written[split][0]), 3, 32, 32) and images.dtype == np.uint8
        np.testing.assert_array_equal(images, written[split][0])
        np.testing.assert_array_equal(labels, written[split][1])


def test_cifar_row_layout_is_channel_major():
    # row = 1024 red values, then green, then blue, each row-major over 32x32
    row = np.arange(3072) % 251
    from condense_tui.engine.datasets.cifar import SHAPE
    image = row.reshape(SHAPE)
    assert image[1, 0, 0] == row[1024] and image[2, 31, 31] == row[3071] and image[0, 1, 0] == row[32]


def test_missing_cifar_names_batches_places_and_fix(tmp_path):
    with pytest.raises(DataFilesMissing) as info:
        load_cifar10(tmp_path)
    text = _one_line(info.value)
    assert "data_batch_1" in text and "data_batch_5" in text
    assert str(tmp_path / "cifar-10-batches-py") in text and "CONDENSE_TUI_DATA_DIR" in text


def test_one_missing_training_batch_is_named(tmp_path):
    write_cifar(tmp_path)
    (tmp_path / "cifar-10-batches-py" / "data_batch_4").unlink()
    with pytest.raises(DataFilesMissing, match="expected data_batch_4 in"):
        load_cifar10(tmp_path)
    assert len(load_cifar10(tmp_path, "test")[0]) == 6  # the test split is still fine


def _bad_batch(tmp_path: Path, content: bytes) -> Path:
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "data_batch_2"
    path.write_bytes(content)
    return path


ok = cifar_batch(np.zeros((2, 3, 32, 32), np.uint8), np.array([1, 2]), "b")


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


@pytest.mark.parametrize("content,problem", [
    (pickle.dumps(ok, protocol=2)[:-40], "not a complete CIFAR-10 python batch"),
    (b"", "not a complete CIFAR-10 python batch"),
    (pickle.dumps([1, 2, 3], protocol=2), "holds a list"),
    (pickle.dumps({b"data": ok[b"data"]}, protocol=2), "no b'data' and b'labels'"),
    (pickle.dumps({**ok, b"data": ok[b"data"][:, :3000]}, protocol=2), "expected uint8 rows of 3072"),
    (pickle.dumps({**ok, b"data": ok[b"data"].astype(np.float32)}, protocol=2), "float32"),
    (pickle.dumps({**ok, b"labels": [1]}, protocol=2), "1 labels for 2 images"),
    (pickle.dumps({**ok, b"labels": [1, 10]}, protocol=2), "label 10 is outside 0..9"),
    (pickle.dumps({**ok, b"labels": [1, -1]}, protocol=2), "label -1 is outside 0..9"),
    (pickle.dumps(Evil(), protocol=2), "refers to"),
])
def test_malformed_cifar_batch_is_rejected(tmp_path, content, problem):
    path = _bad_batch(tmp_path, content)
    with pytest.raises(DataFileMalformed) as info:
        load_cifar10(tmp_path)
    text = _one_line(info.value)
    assert problem in text and str(path) in text


def test_str_keyed_batch_is_accepted(tmp_path):
    write_cifar(tmp_path)
    images = np.full((2, 3, 32, 32), 7, np.uint8)
    batch = {"data": images.reshape(2, -1), "labels": [3, 4]}
    (tmp_path / "cifar-10-batches-py" / "test_batch").write_bytes(pickle.dumps(batch))
    got, labels = load_cifar10(tmp_path, "test")
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(labels, [3, 4])


# -- where the files are --------------------------------------------------------------------------

def test_data_dir_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert resolve_data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv(DATA_DIR_ENV)
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir(None) == tmp_path
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_data_dir("~/data") == tmp_path / "data"


def test_errors_are_value_errors():
    assert issubclass(DataFilesError, ValueError)
    assert issubclass(DataFilesMissing, DataFilesError) and issubclass(DataFileMalformed, DataFilesError)


def test_python2_pickled_batch_is_read(tmp_path):
    from realdata_files import py2_style_batch

    write_cifar(tmp_path)
    images = np.random.default_rng(3).integers(0, 256, size=(3, 3, 32, 32), dtype=np.uint8)
    raw = py2_style_batch(images, np.array([9, 0, 4]))
    assert b"cnumpy.core.multiarray\n_reconstruct" in raw and b"_codecs" not in raw
    (tmp_path / "cifar-10-batches-py" / "test_batch").write_bytes(raw)
    got, labels = load_cifar10(tmp_path, "test")
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(labels, [9, 0, 4])
