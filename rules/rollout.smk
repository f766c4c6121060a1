# Trajectories of repeated inference (eqs. 6-7), all trials of a file in one batch.


rule rollout:
    input:
        model=lambda w: model_file(w.run, w.nz),
        noisy=lambda w: noisy_file(w.run, w.p, w.label),
    output:
        "results/runs/{run}/trajectories/nz{nz}/p{p}/label{label}.h5",
    log:
        "results/logs/runs/{run}/trajectories/nz{nz}/p{p}/label{label}.log",
    benchmark:
        "results/benchmarks/runs/{run}/trajectories/nz{nz}/p{p}/label{label}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=lambda w: 2000
        + config["noise"]["n_trials"]
        * (config["inference"]["T"] + 1)
        * int(w.nz)
        * 8
        // 2**20,
        runtime=10,
        gpu=1,
    params:
        T=config["inference"]["T"],
        n_frames=config["inference"]["n_frames"],
        device=config["device"],
    script:
        "../workflow/scripts/rollout.py"
