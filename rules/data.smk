# MNIST from a local directory of IDX files (data_dir) or through torchvision.


rule mnist:
    input:
        mnist_sources,
    output:
        "results/data/mnist.h5",
    log:
        "results/logs/data/mnist.log",
    benchmark:
        "results/benchmarks/data/mnist.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        data_dir=config["data_dir"],
        subset=config["subset"],
        download_root="resources/mnist",
    script:
        "../workflow/scripts/mnist.py"
