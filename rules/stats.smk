# Statistics of trajectories and latent spaces as tidy CSVs (eqs. 10, 11, 13; active units;
# PCA), per run under results/runs/{run}/stats/.


rule concept_curves:
    input:
        trajectories=lambda w: [trajectory(w.run, *key) for key in curve_keys(w.run)],
        latents=lambda w: sorted(
            {latents_file(w.run, nz) for nz, _, _ in curve_keys(w.run)}
        ),
    output:
        curves=report(
            "results/runs/{run}/stats/distance_to_concept.csv",
            caption="../report/distance_to_concept.rst",
            category="{run}",
            subcategory=SECTIONS["3.1"],
            labels={"run": "{run}", "table": "distance_to_concept"},
        ),
        dips=report(
            "results/runs/{run}/stats/concept_dip.csv",
            caption="../report/concept_dip.rst",
            category="{run}",
            subcategory=SECTIONS["3.1"],
            labels={"run": "{run}", "table": "concept_dip"},
        ),
    log:
        "results/logs/runs/{run}/stats/concept_curves.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/concept_curves.tsv"
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
        trajectories=lambda w: [
            trajectory(w.run, config["main_nz"], p, R(w)["min_distance"]["label"])
            for p in config["min_distance"]["p"]
        ],
        latents=lambda w: latents_file(w.run, config["main_nz"]),
        noisy=lambda w: [
            noisy_file(w.run, p, R(w)["min_distance"]["label"])
            for p in config["min_distance"]["p"]
        ],
        data=lambda w: data_file(w.run),
    output:
        min_distance=report(
            "results/runs/{run}/stats/min_distance.csv",
            caption="../report/min_distance.rst",
            category="{run}",
            subcategory=SECTIONS["3.2"],
            labels={"run": "{run}", "table": "min_distance"},
        ),
        stages=report(
            "results/runs/{run}/stats/stages.csv",
            caption="../report/stages.rst",
            category="{run}",
            subcategory=SECTIONS["3.2"],
            labels={"run": "{run}", "table": "stages"},
        ),
    log:
        "results/logs/runs/{run}/stats/min_distance.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/min_distance.tsv"
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
        latents=lambda w: latents_file(w.run, w.nz),
    output:
        cosine="results/runs/{run}/stats/nz{nz}/cosine.csv",
        active_units="results/runs/{run}/stats/nz{nz}/active_units.csv",
        pca="results/runs/{run}/stats/nz{nz}/pca.csv",
        summary="results/runs/{run}/stats/nz{nz}/latent_summary.csv",
    log:
        "results/logs/runs/{run}/stats/latent_stats_nz{nz}.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/latent_stats_nz{nz}.tsv"
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
        cosine=latent_parts("cosine"),
        active_units=latent_parts("active_units"),
        pca=latent_parts("pca"),
        summary=latent_parts("latent_summary"),
    output:
        cosine="results/runs/{run}/stats/cosine.csv",
        active_units="results/runs/{run}/stats/active_units.csv",
        pca="results/runs/{run}/stats/pca.csv",
        summary=report(
            "results/runs/{run}/stats/latent_summary.csv",
            caption="../report/latent_summary.rst",
            category="{run}",
            subcategory=SECTIONS["3.1"],
            labels={"run": "{run}", "table": "latent_summary"},
        ),
    log:
        "results/logs/runs/{run}/stats/latent_tables.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/latent_tables.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=model_nz(config),
    script:
        "../workflow/scripts/concat_csv.py"


rule onset_table:
    input:
        "results/runs/{run}/stats/distance_to_concept.csv",
    output:
        report(
            "results/runs/{run}/stats/onset.csv",
            caption="../report/onset.rst",
            category="{run}",
            subcategory=SECTIONS["3.3"],
            labels={"run": "{run}", "table": "onset"},
        ),
    log:
        "results/logs/runs/{run}/stats/onset.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/onset.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=config["onset"]["nz"],
        label=lambda w: R(w)["onset"]["label"],
        p=config["concept_curves"]["p"],
    script:
        "../workflow/scripts/onset_table.py"
