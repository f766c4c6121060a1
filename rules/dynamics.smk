# Where repeated inference goes (issue 37): the nearest training memory along the
# trajectories, the attractors of the latent map f(z) = mu(sigmoid(decoder(z))), recall
# at every p of Fig. 4 and Fig. 4's stages at every N_z of Fig. 6; per run under stats/.


rule nearest_memory:
    input:
        trajectories=lambda w: list(nearest_memory_files(w.run)),
        fig2=lambda w: fig2_trajectories(w.run),
        latents=lambda w: latents_file(w.run, config["main_nz"]),
    output:
        summary="results/runs/{run}/stats/nearest_memory.csv",
        trials="results/runs/{run}/stats/nearest_memory_trials.csv.gz",
    log:
        "results/logs/runs/{run}/stats/nearest_memory.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/nearest_memory.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=3000,
        runtime=15,
    params:
        n_trials=lambda w: list(nearest_memory_files(w.run).values()),
        trial_rows=config["concept_curves"]["n_trials"],
    script:
        "../workflow/scripts/nearest_memory.py"


rule attractors:
    input:
        model=lambda w: model_file(w.run, w.nz),
        latents=lambda w: latents_file(w.run, w.nz),
        noisy=lambda w: [
            noisy_file(w.run, config["concept_curves"]["p"], k)
            for k in R(w)["concept_curves"]["labels"]
        ],
        classifier=lambda w: classifier_file(w.run),
    output:
        attractors="results/runs/{run}/stats/nz{nz}/attractors.csv",
        trials="results/runs/{run}/stats/nz{nz}/attractor_trials.csv",
        summary="results/runs/{run}/stats/nz{nz}/attractor_summary.csv",
        clustering="results/runs/{run}/stats/nz{nz}/clustering.csv",
        h5="results/runs/{run}/attractors/nz{nz}.h5",
    log:
        "results/logs/runs/{run}/stats/attractors_nz{nz}.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/attractors_nz{nz}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=3000,
        runtime=lambda w: 10 + config["attractors"]["T"] // 50,
    params:
        attractors=config["attractors"],
        n_trials=config["concept_curves"]["n_trials"],
        seed=lambda w: R(w)["seed"],
    script:
        "../workflow/scripts/attractors.py"


rule attractor_tables:
    input:
        attractors=attractor_parts("attractors"),
        trials=attractor_parts("attractor_trials"),
        summary=attractor_parts("attractor_summary"),
        clustering=attractor_parts("clustering"),
    output:
        attractors="results/runs/{run}/stats/attractors.csv",
        trials="results/runs/{run}/stats/attractor_trials.csv",
        summary="results/runs/{run}/stats/attractor_summary.csv",
        clustering="results/runs/{run}/stats/clustering.csv",
    log:
        "results/logs/runs/{run}/stats/attractor_tables.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/attractor_tables.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=attractor_nz(),
    script:
        "../workflow/scripts/concat_csv.py"


rule recall:
    input:
        model=lambda w: classifier_file(w.run),
        trajectories=lambda w: fig4_trajectories(w.run),
    output:
        "results/runs/{run}/stats/recall.csv",
    log:
        "results/logs/runs/{run}/stats/recall.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/recall.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
        gpu=1,
    params:
        n_trials=config["min_distance"]["n_trials"],
        device=config["device"],
    script:
        "../workflow/scripts/recall.py"


rule stages_nz:
    input:
        trajectories=lambda w: [
            path for nz in config["nz"] for path in fig4_trajectories(w.run, nz)
        ],
        latents=lambda w: [latents_file(w.run, nz) for nz in config["nz"]],
        noisy=lambda w: [
            noisy_file(w.run, p, R(w)["min_distance"]["label"])
            for p in config["min_distance"]["p"]
        ],
        data=lambda w: data_file(w.run),
    output:
        min_distance="results/runs/{run}/stats/min_distance_nz.csv",
        stages="results/runs/{run}/stats/stages_nz.csv",
    log:
        "results/logs/runs/{run}/stats/stages_nz.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/stages_nz.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        p=config["min_distance"]["p"],
        n_trials=config["min_distance"]["n_trials"],
    script:
        "../workflow/scripts/stages_nz.py"
