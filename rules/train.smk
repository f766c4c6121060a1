# One VAE per (run, N_z) (section 2): Adam, learning rate stepped through train.schedule.
# Only the owner run of each model is asked for it (rules/common.smk, model_file).


rule train_vae:
    input:
        data=lambda w: data_file(w.run),
    output:
        model="results/runs/{run}/models/nz{nz}/model.pt",
        history="results/runs/{run}/models/nz{nz}/history.csv",
    log:
        "results/logs/runs/{run}/train/nz{nz}.log",
    benchmark:
        "results/benchmarks/runs/{run}/train/nz{nz}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    threads: 2
    resources:
        mem_mb=train_mem_mb,
        runtime=train_runtime,
        gpu=1,
    params:
        settings=lambda w: train_settings(R(w), int(w.nz)),
        model=lambda w: R(w)["model"],
        binarize=lambda w: R(w)["binarize"],
        seed=lambda w: R(w)["seed"],
        device=config["device"],
        cuda_graph=config["cuda_graph"],
    script:
        "../workflow/scripts/train_vae.py"
