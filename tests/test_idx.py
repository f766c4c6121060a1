"""The IDX reader: round trip, and errors naming the file for corrupt input."""

import gzip

import numpy as np
import pytest
from conftest import synthetic_mnist, write_mnist_dir

from vaeconcepts.data.idx import IDXError, read_idx, write_idx
from vaeconcepts.data.loading import load, read_dir


@pytest.mark.parametrize("name", ["a-idx3-ubyte", "a-idx3-ubyte.gz"])
def test_roundtrip(tmp_path, name):
    array = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / name, array)
    assert np.array_equal(read_idx(tmp_path / name, ndim=3), array)


def test_truncated_file_names_it(tmp_path):
    array = np.zeros((5, 28, 28), np.uint8)
    write_idx(tmp_path / "x-idx3-ubyte", array)
    raw = (tmp_path / "x-idx3-ubyte").read_bytes()
    (tmp_path / "x-idx3-ubyte").write_bytes(raw[:-10])
    with pytest.raises(IDXError, match=r"x-idx3-ubyte: .*expected .*truncated"):
        read_idx(tmp_path / "x-idx3-ubyte")


def test_bad_magic_and_rank(tmp_path):
    (tmp_path / "junk").write_bytes(b"\x12\x34\x08\x03" + bytes(20))
    with pytest.raises(IDXError, match="junk: bad magic"):
        read_idx(tmp_path / "junk")
    write_idx(tmp_path / "labels", np.zeros(4, np.uint8))
    with pytest.raises(IDXError, match="labels: 1 dimensions, expected 3"):
        read_idx(tmp_path / "labels", ndim=3)


def test_corrupt_gzip_names_file(tmp_path):
    (tmp_path / "y.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x09abc")[:-6])
    with pytest.raises(IDXError, match="y.gz"):
        read_idx(tmp_path / "y.gz")


def test_read_mnist_dir_plain_and_gz(tmp_path):
    arrays = synthetic_mnist(30, 10)
    for gz in (True, False):
        d = write_mnist_dir(tmp_path / str(gz), arrays, gz=gz)
        out, shape = read_dir(d)
        assert out["train/images"].shape == (30, 784) and out["test/labels"].shape == (10,)
        assert shape == (28, 28)
        assert np.array_equal(out["train/images"], arrays["train/images"].reshape(30, 784))


def test_read_mnist_dir_missing_file(tmp_path):
    d = write_mnist_dir(tmp_path, synthetic_mnist(10, 10))
    (d / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(IDXError, match="t10k-labels-idx1-ubyte"):
        read_dir(d)


def test_a_dataset_of_another_size_and_classes(tmp_path):
    """A local dataset: 14 x 14 images, 4 classes named by their numbers."""
    rng = np.random.default_rng(0)
    arrays = {f"{s}/images": rng.integers(0, 256, (n, 14, 14), dtype=np.uint8)
              for s, n in (("train", 40), ("test", 8))}  # fmt: skip
    arrays |= {
        f"{s}/labels": np.arange(n, dtype=np.uint8) % 4 for s, n in (("train", 40), ("test", 8))
    }
    d = write_mnist_dir(tmp_path / "mine", arrays)
    out, shape, classes = load("mine", d, tmp_path / "unused")
    assert shape == (14, 14) and classes == ("0", "1", "2", "3")
    assert out["train/images"].shape == (40, 196)
    with pytest.raises(IDXError, match="fashion-mnist has"):  # a named one must match
        load("fashion-mnist", d, tmp_path / "unused")
    named = write_mnist_dir(tmp_path / "fashion", synthetic_mnist(20, 10))
    assert load("fashion-mnist", named, tmp_path / "unused")[2][:2] == ("T-shirt/top", "Trouser")


def test_gzip_corrupt_in_its_middle_names_the_file(tmp_path):
    raw = bytes([0, 0, 8, 1, 0, 0, 39, 16]) + bytes(range(256)) * 40
    packed = bytearray(gzip.compress(raw, mtime=0))
    packed[len(packed) // 2 : len(packed) // 2 + 8] = b"\xff" * 8  # zlib.error inside
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(bytes(packed))
    with pytest.raises(IDXError, match=r"t10k-labels-idx1-ubyte\.gz: corrupt"):
        read_idx(tmp_path / "t10k-labels-idx1-ubyte.gz")


@pytest.mark.parametrize("where", ["archive", "download"])
def test_an_offline_download_says_how_to_use_local_files(tmp_path, monkeypatch, where):
    from urllib.error import URLError

    from torchvision.datasets import MNIST, mnist

    from vaeconcepts.infra.errors import InputError

    def offline(*args, **kwargs):
        raise URLError(OSError(-2, "Name or service not known"))

    if where == "archive":  # torchvision's own loop over its mirrors, then its RuntimeError
        monkeypatch.setattr(mnist, "download_and_extract_archive", offline)
    else:
        monkeypatch.setattr(MNIST, "download", offline)
    with pytest.raises(InputError) as error:
        load("mnist", None, tmp_path)
    assert str(error.value) == (
        "could not download MNIST ([Errno -2] Name or service not known); set data_dir to a "
        "directory of the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
        "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte), e.g. "
        "--config data_dir=../shared/data/mnist"
    )
