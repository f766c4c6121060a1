# Noisy inputs x(0), once per (noise mode, p, label), shared by every model and run.


rule noisy_inputs:
    input:
        data="results/data/{dataset}.h5",
    output:
        "results/noisy/{dataset}/{mode}/p{p}/label{label}.h5",
    log:
        "results/logs/noisy/{dataset}/{mode}/p{p}/label{label}.log",
    benchmark:
        "results/benchmarks/noisy/{dataset}/{mode}/p{p}/label{label}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        n_trials=config["noise"]["n_trials"],
        seed=config["seed"],
    script:
        "../workflow/scripts/noisy_inputs.py"
