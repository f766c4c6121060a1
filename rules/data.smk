# MNIST from a local directory of IDX files (data_dir) or through torchvision.


def mnist_sources(wildcards):
    """The IDX files under data_dir, so that changed data re-runs the stage."""
    if config["data_dir"] is None:
        return []
    root = Path(config["data_dir"])
    stems = [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ]
    return [str(root / s) if (root / s).exists() else str(root / f"{s}.gz") for s in stems]


rule mnist:
    input:
        mnist_sources,
    output:
        "results/data/mnist.h5",
    params:
        data_dir=config["data_dir"],
        subset=config["subset"],
        download_root="resources/mnist",
    log:
        "results/logs/data/mnist.log",
    benchmark:
        "results/benchmarks/data/mnist.tsv"
    resources:
        mem_mb=2000,
        runtime=30,
    script:
        "../workflow/scripts/mnist.py"
