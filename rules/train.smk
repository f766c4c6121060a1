# One VAE per N_z (section 2): Adam, learning rate stepped through train.schedule.


rule train_vae:
    input:
        data="results/data/mnist.h5",
    output:
        model="results/models/nz{nz}/model.pt",
        history="results/models/nz{nz}/history.csv",
    params:
        settings=lambda w: train_settings(config, int(w.nz)),
        hidden=config["model"]["hidden"],
        n_samples=config["model"]["n_samples"],
        binarize=config["binarize"],
        seed=config["seed"],
        device=config["device"],
    log:
        "results/logs/train/nz{nz}.log",
    benchmark:
        "results/benchmarks/train/nz{nz}.tsv"
    threads: 2
    resources:
        mem_mb=lambda w: 3000 + 2 * int(w.nz),
        runtime=lambda w: 10 + total_epochs(w.nz),
        gpu=1,
    conda:
        "../envs/vaeconcepts.yaml"
    script:
        "../workflow/scripts/train_vae.py"
