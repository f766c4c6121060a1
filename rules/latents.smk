# Memories of every image, the ten concepts and the abstract concept (eqs. 8, 9, 12).


rule latents:
    input:
        model="results/models/nz{nz}/model.pt",
        data="results/data/mnist.h5",
    output:
        "results/latents/nz{nz}.h5",
    log:
        "results/logs/latents/nz{nz}.log",
    benchmark:
        "results/benchmarks/latents/nz{nz}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=3000,
        runtime=10,
        gpu=1,
    params:
        device=config["device"],
    script:
        "../workflow/scripts/latents.py"
