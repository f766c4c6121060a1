# Noisy inputs x(0), once per (p, label), shared by every model.


rule noisy_inputs:
    input:
        data="results/data/mnist.h5",
    output:
        "results/noisy/p{p}/label{label}.h5",
    params:
        mode=config["noise"]["mode"],
        n_trials=config["noise"]["n_trials"],
        seed=config["seed"],
    log:
        "results/logs/noisy/p{p}/label{label}.log",
    benchmark:
        "results/benchmarks/noisy/p{p}/label{label}.tsv"
    resources:
        mem_mb=2000,
        runtime=5,
    conda:
        "../envs/vaeconcepts.yaml"
    script:
        "../workflow/scripts/noisy_inputs.py"
