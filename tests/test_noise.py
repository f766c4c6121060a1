"""Swap noise of fraction p (section 2): flip and permute modes, seeds."""

import numpy as np
import pytest
import torch

from vaeconcepts.infra.seeds import generator
from vaeconcepts.paper.noise import changed_fraction, choose_sources, swap_noise


@pytest.fixture
def images():
    return torch.rand((50, 784), generator=generator(1))


@pytest.mark.parametrize("mode", ["flip", "permute"])
def test_p0_leaves_the_image_unchanged(images, mode):
    assert torch.equal(swap_noise(images, 0.0, mode, generator(0)), images)


def test_p1_inverts_the_image_in_flip_mode(images):
    assert torch.equal(swap_noise(images, 1.0, "flip", generator(0)), 1.0 - images)


@pytest.mark.parametrize("p", [0.05, 0.2, 0.5])
def test_flipped_fraction_is_p(images, p):
    x = (images > 0.5).float()  # binary, so that every flip changes the pixel
    flipped = (swap_noise(x, p, "flip", generator(2)) != x).float().mean().item()
    n = x.numel()
    assert abs(flipped - p) < 5 * np.sqrt(p * (1 - p) / n)


def test_permute_shuffles_only_the_selected_pixels(images):
    p = 0.3
    noisy = swap_noise(images, p, "permute", generator(3))
    selected = torch.rand(images.shape, generator=generator(3)) < p  # the same first draw
    assert torch.equal(noisy[~selected], images[~selected])
    for i in range(len(images)):
        a, b = images[i, selected[i]], noisy[i, selected[i]]
        assert torch.equal(a.sort().values, b.sort().values)
    assert not torch.equal(noisy, images)


@pytest.mark.parametrize("mode", ["flip", "permute"])
def test_same_seed_same_bytes(images, mode):
    a = swap_noise(images, 0.2, mode, generator(4)).numpy().tobytes()
    b = swap_noise(images, 0.2, mode, generator(4)).numpy().tobytes()
    c = swap_noise(images, 0.2, mode, generator(5)).numpy().tobytes()
    assert a == b and a != c


def test_unknown_mode_fails(images):
    with pytest.raises(ValueError, match="salt"):
        swap_noise(images, 0.2, "salt", generator(0))


def test_sources_have_the_label_and_are_reproducible():
    labels = np.arange(100) % 10
    a = choose_sources(labels, 6, 8, seed=7)
    assert (labels[a] == 6).all() and len(set(a)) == 8
    assert np.array_equal(a, choose_sources(labels, 6, 8, seed=7))
    assert len(choose_sources(labels, 6, 30, seed=7)) == 30  # with replacement when too few


def test_the_changed_fraction_counts_pixels_whose_intensity_changed():
    clean = np.array([[0.0, 0.0, 1.0, 0.5], [0.0, 0.0, 0.0, 0.0]])
    noisy = np.array([[0.0, 1.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0]])  # a swap of two pixels
    assert changed_fraction(clean, noisy) == 0.25
