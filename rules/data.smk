# A dataset from a local directory of IDX files (data_dir, data_dirs) or through
# torchvision: results/data/{dataset}.h5, shared by every run that uses it. It reruns when
# the files' content changes, not when the same directory is written another way.


localrules:
    dataset,  # downloads: run it on the login node (compute nodes often have no internet)


rule dataset:
    output:
        "results/data/{dataset}.h5",
    log:
        "results/logs/data/{dataset}.log",
    benchmark:
        "results/benchmarks/data/{dataset}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        source=dataset_source,  # the files' content; the directory comes from the config
        subset=config["subset"],
        download_root=lambda w: f"resources/{w.dataset}",
    script:
        "../workflow/scripts/dataset.py"
