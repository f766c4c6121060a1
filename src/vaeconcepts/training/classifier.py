"""The CNN of Appendix B that labels the final states x(T): the Keras mnist_cnn layout."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from vaeconcepts.data.registry import REGISTRY
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.seeds import generator
from vaeconcepts.infra.torchio import load_torch, save_torch
from vaeconcepts.training.checkpoint import Checkpoint, guard, resume, training_state

MNIST = REGISTRY["mnist"]


class Classifier(nn.Module):
    """conv 32@3x3, conv 64@3x3, max-pool 2, dropout 0.25, dense 128, dropout 0.5, softmax.

    'valid' convolutions and ReLU, so for MNIST 28 -> 26 -> 24 -> 12 and 64 * 12 * 12
    features; any image `shape` (h, w) and number of classes.
    """

    def __init__(self, shape: tuple[int, int] = MNIST.shape, n_classes: int = len(MNIST.classes)):
        super().__init__()
        self.shape, self.n_classes = tuple(shape), n_classes
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.dropout1 = nn.Dropout(0.25)
        self.fc1 = nn.Linear(64 * ((shape[0] - 4) // 2) * ((shape[1] - 4) // 2), 128)
        self.dropout2 = nn.Dropout(0.5)
        self.fc2 = nn.Linear(128, n_classes)

    def hparams(self) -> dict:
        return {"shape": list(self.shape), "n_classes": self.n_classes}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of the classes for images (n, h * w) or (n, 1, h, w) in [0, 1]."""
        x = x.reshape(-1, 1, *self.shape)
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = self.dropout1(F.max_pool2d(x, 2)).flatten(1)
        x = self.dropout2(F.relu(self.fc1(x)))
        return self.fc2(x)


@torch.no_grad()
def probabilities(model: Classifier, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Softmax class probabilities (n, classes), in eval mode (no dropout)."""
    was_training = model.training
    model.eval()
    out = torch.cat([F.softmax(model(xb), dim=1) for xb in x.split(batch_size)])
    model.train(was_training)
    return out


def accuracy(model: Classifier, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of images whose most probable label is the true one."""
    return (probabilities(model, x).argmax(1) == y).float().mean().item()


def train_classifier(
    model: Classifier,
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    x_test: torch.Tensor | None = None,
    y_test: torch.Tensor | None = None,
    log: Callable[[str], None] = print,
    checkpoint: Checkpoint | None = None,
) -> list[dict]:
    """Adam on the cross-entropy, minibatches indexed from whole-dataset tensors; one row per epoch.

    Dropout draws from torch's global generator: seed it (torch.manual_seed) for repeatable runs.
    With a `checkpoint`, a stopped run goes on from its last saved epoch.
    """
    g = generator(seed, x.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history, done = resume(checkpoint, model, optimizer, g)
    with guard(checkpoint):
        for epoch in range(done + 1, epochs + 1):
            start = time.perf_counter()
            model.train()
            total = torch.zeros((), device=x.device)
            for idx in torch.randperm(len(x), generator=g, device=x.device).split(batch_size):
                loss = F.cross_entropy(model(x[idx]), y[idx])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += loss.detach() * len(idx)
            row = dict(epoch=epoch, train_loss=total.item() / len(x))
            if x_test is not None:
                row["test_accuracy"] = accuracy(model, x_test, y_test)
            row["seconds"] = time.perf_counter() - start
            history.append(row)
            log(
                f"epoch {epoch}/{epochs} loss {row['train_loss']:.4f} test accuracy "
                f"{row.get('test_accuracy', float('nan')):.4f} ({row['seconds']:.1f} s)"
            )
            if checkpoint is not None:
                checkpoint.update(epoch, training_state(model, optimizer, g, history))
    return history


def save_classifier(path: str | Path, model: Classifier, extra: dict | None = None) -> None:
    """Weights (and any provenance in `extra`), written atomically."""
    save_torch(
        path, {"state_dict": model.state_dict(), "hparams": model.hparams(), **(extra or {})}
    )


def load_classifier(path: str | Path, device: str | torch.device = "cpu") -> Classifier:
    """A saved classifier in eval mode; fail naming the file if it is missing or foreign."""
    saved = load_torch(path, "classifier", device)
    try:
        model = Classifier(**saved.get("hparams", {}))
        model.load_state_dict(saved["state_dict"])
    except Exception as exc:
        raise InputError(f"{path}: not a classifier of this project ({exc})") from None
    return model.to(device).eval()
