"""Real data sets read from local files: MNIST (IDX) for the MLP engine, CIFAR-10 (python batches)
for the deep trainer. Nothing is downloaded: a missing or malformed file raises a DataFilesError
whose message is one line naming the files, where they were looked for, and how to point there."""

from __future__ import annotations

from .cifar import load_cifar10
from .errors import DataFileMalformed, DataFilesError, DataFilesMissing, NotEnoughData
from .locate import DATA_DIR_ENV, resolve_data_dir
from ..names import MNIST_TARGETS
from .mnist import load_mnist, mnist_dataset

# data sources read from files: trained by the MLP engine, or by the deep (conv + FC head) trainer
MLP_REAL_DATA = ("mnist",)
DEEP_DATA = ("cifar10",)
REAL_DATA = MLP_REAL_DATA + DEEP_DATA

__all__ = ["DATA_DIR_ENV", "DEEP_DATA", "DataFileMalformed", "DataFilesError", "DataFilesMissing",
           "MLP_REAL_DATA", "MNIST_TARGETS", "NotEnoughData", "REAL_DATA", "load_cifar10", "load_mnist",
           "mnist_dataset", "resolve_data_dir"]
