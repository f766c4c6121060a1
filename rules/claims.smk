# The scorecard (issue 8): per run, each claim of the paper against ours with a verdict by
# rules fixed in advance (src/vaeconcepts/scorecard/claims.py); across runs, results/study/.


rule claims:
    input:
        curves="results/runs/{run}/stats/distance_to_concept.csv",
        summary="results/runs/{run}/stats/latent_summary.csv",
        stages="results/runs/{run}/stats/stages.csv",
        onset="results/runs/{run}/stats/onset.csv",
        accuracy=lambda w: classifier_file(w.run, "accuracy.csv"),
        final_summary="results/runs/{run}/stats/final_state_summary.csv",
        final_distance="results/runs/{run}/stats/final_state_distance.csv",
        nearest_trials="results/runs/{run}/stats/nearest_memory_trials.csv.gz",
        attractor_trials="results/runs/{run}/stats/attractor_trials.csv",
        recall="results/runs/{run}/stats/recall.csv",
        stages_nz="results/runs/{run}/stats/stages_nz.csv",
        generalization=generalization_if_built,
    output:
        report(
            "results/runs/{run}/stats/claims.csv",
            caption="../report/claims.rst",
            category="{run}",
            subcategory=SECTIONS["card"],
            labels={"run": "{run}", "table": "claims"},
        ),
    log:
        "results/logs/runs/{run}/stats/claims.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/claims.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        settings=lambda w: claim_settings(R(w)),
        epochs=lambda w: {nz: total_epochs_of(w.run, nz) for nz in model_nz(R(w))},
    script:
        "../workflow/scripts/claims.py"


rule study:
    input:
        run_expand("results/runs/{run}/stats/claims.csv"),
    output:
        table=report(
            "results/study/claims.csv",
            caption="../report/study.rst",
            category="Scorecard",
        ),
        png=report(
            "results/study/claims.png",
            caption="../report/study.rst",
            category="Scorecard",
        ),
        pdf="results/study/claims.pdf",
    log:
        "results/logs/study/claims.log",
    benchmark:
        "results/benchmarks/study/claims.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        seed_groups=seed_groups(config),
        # The runs' scale when not the paper's, stamped on the figure (config/scale.py).
        scale=study_stamp({run: scale_stamp(cfg) for run, cfg in RUNS.items()}),
        # C10's value is scaled to the paper's 300 trials from these.
        c10_trials={run: cfg["classifier"]["n_trials"] for run, cfg in RUNS.items()},
    script:
        "../workflow/scripts/study.py"
