# One VAE per N_z (section 2): Adam, learning rate stepped through train.schedule.


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
        init=config["model"]["init"],
        active_threshold=config["active_threshold"],
        binarize=config["binarize"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../workflow/scripts/train_vae.py"
