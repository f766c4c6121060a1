"""HDF5 I/O: atomic writes, and reads that name the file when it is not what is needed."""

import numpy as np
import pytest

from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.h5io import read_h5, read_trials, write_h5


def test_read_trials_keeps_the_first_n_and_names_a_short_file(tmp_path):
    path = tmp_path / "label6.h5"
    z = np.arange(5 * 3 * 2, dtype=np.float32).reshape(5, 3, 2)
    write_h5(path, {"z": z, "source_index": np.arange(5)}, attrs={"label": 6})
    arrays, meta = read_trials(path, ["z", "source_index"], 3)
    assert np.array_equal(arrays["z"], z[:3]) and arrays["source_index"].tolist() == [0, 1, 2]
    assert meta["label"] == 6
    with pytest.raises(InputError, match=r"label6\.h5: 5 trials, fewer than the 8"):
        read_trials(path, ["z"], 8)


def test_missing_dataset_and_corrupt_file_name_the_file(tmp_path):
    path = tmp_path / "a.h5"
    write_h5(path, {"x": np.zeros(2)})
    with pytest.raises(InputError, match=r"a\.h5: missing dataset\(s\) y"):
        read_h5(path, ["y"])
    (tmp_path / "bad.h5").write_bytes(b"not hdf5")
    with pytest.raises(InputError, match=r"bad\.h5: not a readable HDF5 file"):
        read_h5(tmp_path / "bad.h5", ["x"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.h5", "bad.h5"]  # no temp files left


def test_non_finite_arrays_are_refused_naming_the_file_and_the_stage_that_made_it(tmp_path):
    import numpy as np
    import pytest

    from vaeconcepts.infra.h5io import read_h5, write_h5

    path = tmp_path / "results" / "runs" / "a" / "latents" / "nz5.h5"
    path.parent.mkdir(parents=True)
    write_h5(path, {"train/mu": np.array([[0.0, np.nan]]), "train/labels": np.array([1])})
    with pytest.raises(InputError, match=rf"^{path}: train/mu holds 1 NaN .*rule latents made"):
        read_h5(path, ["train/mu"])
    assert read_h5(path, ["train/labels"])["train/labels"].tolist() == [1]
