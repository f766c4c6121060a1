"""Another dataset end to end: 14 x 14 images of 4 classes, from a local IDX directory.
Tables and figures come out with its shape, classes and names; the claims are about MNIST,
so its scorecard says `not applicable`."""

import h5py
import numpy as np
import pandas as pd
import pytest
from conftest import REPO, run_snakemake, tiny_config, write_mnist_dir
from PIL import Image

pytestmark = pytest.mark.e2e
RUN = "results/runs/paper"


def four_classes(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Bars in four places of a 14 x 14 image, with jitter."""
    labels = np.arange(n) % 4
    img = np.zeros((n, 14, 14))
    for i, k in enumerate(labels):
        r, c = divmod(int(k), 2)
        img[i, 1 + 7 * r : 6 + 7 * r, 1 + 7 * c : 6 + 7 * c] = rng.uniform(0.6, 1)
    img = np.clip(img + rng.normal(0, 0.08, img.shape), 0, 1)
    return (img * 255).astype(np.uint8), labels.astype(np.uint8)


@pytest.fixture(scope="module")
def run(tmp_path_factory, tiny_mnist):
    rng = np.random.default_rng(0)
    (xtr, ytr), (xte, yte) = four_classes(300, rng), four_classes(60, rng)
    data = write_mnist_dir(
        tmp_path_factory.mktemp("four"),
        {"train/images": xtr, "train/labels": ytr, "test/images": xte, "test/labels": yte},
    )
    workdir = tmp_path_factory.mktemp("datasets")
    config = tiny_config(tiny_mnist, data_dirs={"four": str(data)})
    config.update(
        dataset="four",  # the top-level dataset: the `paper` run's
        nz=[2, 5],
        concept_curves={"p": 0.2, "labels": [0, 1, 2, 3], "n_trials": 20},
        min_distance={"label": 2, "p": [0.0, 0.2, 0.4], "n_trials": 20},
        pca_labels=[0, 1, 2],
        image_strip={"label": 2, "trial": 0},
        onset={"label": 2, "nz": [2, 5]},
    )
    config["classifier"].update(label=2)
    run_snakemake(workdir, "all", config=config)
    return workdir, config


def test_the_dataset_file_describes_itself(run):
    workdir, _ = run
    with h5py.File(workdir / "results/data/four.h5") as f:
        assert f["train/images"].shape == (300, 196)
        assert list(f.attrs["shape"]) == [14, 14] and list(f.attrs["classes"]) == list("0123")


def test_tables_and_models_have_its_shapes(run):
    workdir, config = run
    with h5py.File(workdir / f"{RUN}/latents/nz5.h5") as f:
        assert f["concepts"].shape == (4, 5)
    cosine = pd.read_csv(workdir / f"{RUN}/stats/cosine.csv")
    assert len(cosine) == 16 * len(config["nz"])
    labels = pd.read_csv(workdir / f"{RUN}/stats/final_state_labels.csv")
    assert [c for c in labels.columns if c.startswith("prob")] == [
        "prob0",
        "prob1",
        "prob2",
        "prob3",
    ]
    assert pd.read_csv(workdir / "results/classifier/four/accuracy.csv")["n_test"].item() == 60
    assert (workdir / "results/noisy/four/permute/p0.20/label2.h5").exists()


def test_figures_come_out(run):
    workdir, _ = run
    for fig in ("fig1", "fig2", "fig3", "fig4", "fig6", "figA1", "figB2"):
        with Image.open(workdir / f"{RUN}/figures/{fig}.png") as img:
            assert img.width > 300 and img.height > 150, fig


def test_the_claims_are_not_applicable(run):
    workdir, _ = run
    card = pd.read_csv(workdir / f"{RUN}/stats/claims.csv")
    assert set(card["verdict"]) == {"not applicable"} and set(card["dataset"]) == {"four"}


def twelve_classes(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Discs at twelve places (a 3 x 4 grid) of a 20 x 20 image, with jitter: labels 0-11,
    two digits in a file name."""
    labels = np.arange(n) % 12
    yy, xx = np.mgrid[:20, :20]
    centres = [(r, c) for r in (4, 10, 16) for c in (3, 8, 12, 17)]
    img = np.stack([((yy - centres[k][0]) ** 2 + (xx - centres[k][1]) ** 2 < 6) * 1.0
                    for k in labels])  # fmt: skip
    img = np.clip(img * rng.uniform(0.6, 1, (n, 1, 1)) + rng.normal(0, 0.08, img.shape), 0, 1)
    return (img * 255).astype(np.uint8), labels.astype(np.uint8)


def test_twelve_classes_of_another_shape_run_end_to_end_through_the_quick_preset(tmp_path):
    # no label setting anywhere: every per-label setting takes the dataset's classes
    rng = np.random.default_rng(1)
    (xtr, ytr), (xte, yte) = twelve_classes(360, rng), twelve_classes(60, rng)
    data = write_mnist_dir(
        tmp_path / "twelve",
        {"train/images": xtr, "train/labels": ytr, "test/images": xte, "test/labels": yte},
    )
    extra = tmp_path / "twelve.yaml"
    extra.write_text(f"dataset: twelve\ndata_dirs: {{twelve: {data}}}\n")
    quick = str(REPO / "presets" / "quick.yaml")
    run_snakemake(tmp_path / "work", "all", "--configfile", quick, str(extra))
    run_dir = tmp_path / "work" / RUN
    curves = pd.read_csv(run_dir / "stats/distance_to_concept.csv")
    assert sorted(curves["label"].unique()) == list(range(12))
    stages = pd.read_csv(run_dir / "stats/stages.csv")
    assert len(stages) == 6  # min_distance.p of the preset, for label 6
    assert (run_dir / "figures/fig2.png").exists() and (run_dir / "figures/figB2.png").exists()
    with h5py.File(run_dir / "latents/nz20.h5") as f:
        assert f["concepts"].shape == (12, 20)
    assert (tmp_path / "work/results/noisy/twelve/permute/p0.20/label11.h5").exists()
    assert (run_dir / "trajectories/nz20/p0.20/label11.h5").exists()
    card = pd.read_csv(run_dir / "stats/claims.csv")
    assert set(card["verdict"]) == {"not applicable"}
