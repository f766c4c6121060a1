"""The Appendix B classifier: architecture, probabilities, a short training, saving."""

import pytest
import torch
from conftest import synthetic_mnist

from vaeconcepts.infra.errors import InputError
from vaeconcepts.training.classifier import (
    Classifier,
    accuracy,
    load_classifier,
    probabilities,
    save_classifier,
    train_classifier,
)


def test_layer_shapes_follow_keras_mnist_cnn():
    model = Classifier()
    assert model.conv1.weight.shape == (32, 1, 3, 3)
    assert model.conv2.weight.shape == (64, 32, 3, 3)
    assert model.fc1.weight.shape == (128, 64 * 12 * 12)
    assert model.fc2.weight.shape == (10, 128)
    assert model.dropout1.p == 0.25 and model.dropout2.p == 0.5
    assert sum(p.numel() for p in model.parameters()) == 1_199_882  # as Keras reports it
    shapes = {}
    for name in ("conv1", "conv2", "fc1"):
        getattr(model, name).register_forward_hook(
            lambda m, i, o, name=name: shapes.__setitem__(name, tuple(o.shape))
        )
    logits = model(torch.rand(3, 784))
    assert shapes == {"conv1": (3, 32, 26, 26), "conv2": (3, 64, 24, 24), "fc1": (3, 128)}
    assert logits.shape == (3, 10)


def test_any_image_shape_and_number_of_classes(tmp_path):
    model = Classifier((14, 14), 4)
    assert model.fc1.weight.shape == (128, 64 * 5 * 5) and model(torch.rand(2, 196)).shape == (2, 4)
    save_classifier(tmp_path / "c.pt", model)
    back = load_classifier(tmp_path / "c.pt")
    assert back.shape == (14, 14) and back.n_classes == 4


def test_probabilities_sum_to_one_and_ignore_dropout():
    model = Classifier().train()
    x = torch.rand(5, 1, 28, 28)
    probs = probabilities(model, x)
    assert probs.shape == (5, 10) and (probs >= 0).all()
    assert torch.allclose(probs.sum(1), torch.ones(5))
    assert torch.equal(probs, probabilities(model, x))  # eval mode: deterministic
    assert model.training  # the mode is restored


def test_short_training_separates_a_tiny_dataset():
    arrays = synthetic_mnist(150, 100, seed=1)
    x, xt = (torch.from_numpy(arrays[f"{s}/images"]).float().div(255) for s in ("train", "test"))
    y, yt = (torch.from_numpy(arrays[f"{s}/labels"]).long() for s in ("train", "test"))
    torch.manual_seed(0)
    model = Classifier()
    assert accuracy(model, xt, yt) < 0.5
    history = train_classifier(model, x, y, 1, 10, 1e-3, seed=0, x_test=xt, y_test=yt,
                               log=lambda s: None)  # fmt: skip
    assert [row["epoch"] for row in history] == [1]
    assert accuracy(model, xt, yt) >= 0.95
    assert history[-1]["test_accuracy"] == pytest.approx(accuracy(model, xt, yt))


def test_save_load_roundtrip_and_errors(tmp_path):
    model = Classifier().eval()
    save_classifier(tmp_path / "c.pt", model)
    x = torch.rand(2, 784)
    assert torch.equal(
        probabilities(load_classifier(tmp_path / "c.pt"), x), probabilities(model, x)
    )
    with pytest.raises(InputError, match="missing.pt: classifier file not found"):
        load_classifier(tmp_path / "missing.pt")
    (tmp_path / "bad.pt").write_bytes(b"junk")
    with pytest.raises(InputError, match="bad.pt"):
        load_classifier(tmp_path / "bad.pt")
