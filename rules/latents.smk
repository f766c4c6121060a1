# Memories of every image, the ten concepts and the abstract concept (eqs. 8, 9, 12),
# beside the model they come from (runs sharing a model share its latents).


rule latents:
    input:
        model="results/runs/{run}/models/nz{nz}/model.pt",
        data=lambda w: data_file(w.run),
    output:
        "results/runs/{run}/latents/nz{nz}.h5",
    log:
        "results/logs/runs/{run}/latents/nz{nz}.log",
    benchmark:
        "results/benchmarks/runs/{run}/latents/nz{nz}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    threads: 2
    resources:
        mem_mb=3000,
        runtime=10,
        gpu=1,
    params:
        device=config["device"],
    script:
        "../workflow/scripts/latents.py"
