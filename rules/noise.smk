# Noisy inputs x(0), once per (p, label), shared by every model.


rule noisy_inputs:
    input:
        data="results/data/mnist.h5",
    output:
        "results/noisy/p{p}/label{label}.h5",
    log:
        "results/logs/noisy/p{p}/label{label}.log",
    benchmark:
        "results/benchmarks/noisy/p{p}/label{label}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        mode=config["noise"]["mode"],
        n_trials=config["noise"]["n_trials"],
        seed=config["seed"],
    script:
        "../workflow/scripts/noisy_inputs.py"
