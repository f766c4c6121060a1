# Fig. 7 sweep (section 3.4): one VAE per (N_z, learning rate, batch size), constant
# learning rate for sweep.epochs epochs. Heavy: only built by `snakemake fig7`.


rule sweep_vae:
    input:
        data="results/data/mnist.h5",
    output:
        "results/sweep/nz{nz}/lr{lr}_bs{bs}/history.csv",
    log:
        "results/logs/sweep/nz{nz}/lr{lr}_bs{bs}.log",
    benchmark:
        "results/benchmarks/sweep/nz{nz}/lr{lr}_bs{bs}.tsv"
    wildcard_constraints:
        lr=r"[0-9][0-9.e+-]*",
        bs=r"[1-9][0-9]*",
    conda:
        "../envs/vaeconcepts.yaml"
    threads: 2
    resources:
        mem_mb=train_mem_mb,
        runtime=lambda w: 10 + config["sweep"]["epochs"] * max(1, 100 // int(w.bs)),
        gpu=1,
    params:
        epochs=config["sweep"]["epochs"],
        hidden=config["model"]["hidden"],
        n_samples=config["model"]["n_samples"],
        init=config["model"]["init"],
        active_threshold=config["active_threshold"],
        binarize=config["binarize"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../workflow/scripts/sweep_vae.py"


rule generalization:
    input:
        sweep_histories(),
    output:
        report(
            "results/stats/generalization.csv",
            caption="../report/generalization.rst",
            category="Tables",
        ),
    log:
        "results/logs/stats/generalization.log",
    benchmark:
        "results/benchmarks/stats/generalization.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        sweep=config["sweep"],
    script:
        "../workflow/scripts/generalization.py"
