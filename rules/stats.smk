# Statistics of trajectories and latent spaces as tidy CSVs (eqs. 10, 11, 13; active units; PCA).


rule concept_curves:
    input:
        trajectories=[trajectory(nz, p, label) for nz, p, label in curve_keys()],
        latents=sorted({f"results/latents/nz{nz}.h5" for nz, _, _ in curve_keys()}),
    output:
        curves=report(
            "results/stats/distance_to_concept.csv",
            caption="../report/distance_to_concept.rst",
            category="Tables",
        ),
        dips=report(
            "results/stats/concept_dip.csv",
            caption="../report/concept_dip.rst",
            category="Tables",
        ),
    log:
        "results/logs/stats/concept_curves.log",
    benchmark:
        "results/benchmarks/stats/concept_curves.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        n_trials=config["concept_curves"]["n_trials"],
    script:
        "../workflow/scripts/concept_curves.py"


rule min_distance:
    input:
        trajectories=[
            trajectory(config["main_nz"], p, config["min_distance"]["label"])
            for p in config["min_distance"]["p"]
        ],
        latents=f"results/latents/nz{config['main_nz']}.h5",
    output:
        min_distance=report(
            "results/stats/min_distance.csv",
            caption="../report/min_distance.rst",
            category="Tables",
        ),
        stages=report(
            "results/stats/stages.csv",
            caption="../report/stages.rst",
            category="Tables",
        ),
    log:
        "results/logs/stats/min_distance.log",
    benchmark:
        "results/benchmarks/stats/min_distance.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        n_trials=config["min_distance"]["n_trials"],
    script:
        "../workflow/scripts/min_distance.py"


rule latent_stats:
    input:
        latents="results/latents/nz{nz}.h5",
    output:
        cosine="results/stats/nz{nz}/cosine.csv",
        active_units="results/stats/nz{nz}/active_units.csv",
        pca="results/stats/nz{nz}/pca.csv",
        summary="results/stats/nz{nz}/latent_summary.csv",
    log:
        "results/logs/stats/latent_stats_nz{nz}.log",
    benchmark:
        "results/benchmarks/stats/latent_stats_nz{nz}.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        active_threshold=config["active_threshold"],
        pca_levels=config["pca_levels"],
    script:
        "../workflow/scripts/latent_stats.py"


rule latent_tables:
    input:
        cosine=expand("results/stats/nz{nz}/cosine.csv", nz=model_nz(config)),
        active_units=expand(
            "results/stats/nz{nz}/active_units.csv", nz=model_nz(config)
        ),
        pca=expand("results/stats/nz{nz}/pca.csv", nz=model_nz(config)),
        summary=expand("results/stats/nz{nz}/latent_summary.csv", nz=model_nz(config)),
    output:
        cosine="results/stats/cosine.csv",
        active_units="results/stats/active_units.csv",
        pca="results/stats/pca.csv",
        summary=report(
            "results/stats/latent_summary.csv",
            caption="../report/latent_summary.rst",
            category="Tables",
        ),
    log:
        "results/logs/stats/latent_tables.log",
    benchmark:
        "results/benchmarks/stats/latent_tables.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=model_nz(config),
    script:
        "../workflow/scripts/concat_csv.py"
