# One VAE per N_z (section 2): Adam, learning rate stepped through train.schedule.

import math


def train_images():
    """(training, test) images the VAE sees: MNIST or its `subset`."""
    sub = config["subset"]
    return min(sub["train"] or 60000, 60000), min(sub["test"] or 10000, 10000)


def train_mem_mb(wildcards):
    """Host memory (MB) of one training job: torch and CUDA (2.5 GB), the images as
    float32 twice over, and weights, gradients and the two Adam moments of the VAE."""
    nz, hidden = int(wildcards.nz), config["model"]["hidden"]
    n_params = 2 * 784 * hidden + 3 * hidden * nz + 2 * hidden + 2 * nz + 784
    data = sum(train_images()) * 784 * 4 * 2
    return 2500 + math.ceil((data + 4 * 4 * n_params) / 2**20)


def train_runtime(wildcards):
    """Minutes of one training job: 10 + every epoch of every stage at 0.4 min per epoch
    of 60,000 images with hidden = 1024 and N_z = 100 (twice what 2 CPU cores take),
    scaled by the images and the multiply-adds per image (784*H twice, H*N_z thrice)."""
    nz, hidden = int(wildcards.nz), config["model"]["hidden"]
    work = (2 * 784 * hidden + 3 * hidden * nz) / (2 * 784 * 1024 + 3 * 1024 * 100)
    per_epoch = 0.4 * train_images()[0] / 60000 * work
    return 10 + math.ceil(total_epochs(nz) * per_epoch)


rule train_vae:
    input:
        data="results/data/mnist.h5",
    output:
        model="results/models/nz{nz}/model.pt",
        history="results/models/nz{nz}/history.csv",
    log:
        "results/logs/train/nz{nz}.log",
    benchmark:
        "results/benchmarks/train/nz{nz}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    threads: 2
    resources:
        mem_mb=train_mem_mb,
        runtime=train_runtime,
        gpu=1,
    params:
        settings=lambda w: train_settings(config, int(w.nz)),
        hidden=config["model"]["hidden"],
        n_samples=config["model"]["n_samples"],
        binarize=config["binarize"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../workflow/scripts/train_vae.py"
