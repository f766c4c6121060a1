# Appendix B: a CNN trained once per dataset labels the final states x(T) of every run.


rule train_classifier:
    input:
        data="results/data/{dataset}.h5",
    output:
        model="results/classifier/{dataset}/model.pt",
        history="results/classifier/{dataset}/history.csv",
        stats=report(
            "results/classifier/{dataset}/accuracy.csv",
            caption="../report/classifier.rst",
            category="Classifier",
        ),
    log:
        "results/logs/classifier/{dataset}/train.log",
    benchmark:
        "results/benchmarks/classifier/{dataset}/train.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    threads: 2
    resources:
        mem_mb=4000,
        runtime=10 + 5 * config["classifier"]["epochs"],
        gpu=1,
    params:
        epochs=config["classifier"]["epochs"],
        batch_size=config["classifier"]["batch_size"],
        lr=config["classifier"]["lr"],
        seed=config["seed"],
        device=config["device"],
    script:
        "../workflow/scripts/train_classifier.py"


rule classify_final_states:
    input:
        model=lambda w: classifier_file(w.run),
        trajectories=final_state_trajectory,
    output:
        labels="results/runs/{run}/stats/final_state_labels.csv",
        summary=report(
            "results/runs/{run}/stats/final_state_summary.csv",
            caption="../report/final_state_summary.rst",
            category="{run}",
            subcategory=SECTIONS["app"],
            labels={"run": "{run}", "table": "final_state_summary"},
        ),
    log:
        "results/logs/runs/{run}/classifier/final_states.log",
    benchmark:
        "results/benchmarks/runs/{run}/classifier/final_states.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
        gpu=1,
    params:
        n_trials=config["classifier"]["n_trials"],
        device=config["device"],
    script:
        "../workflow/scripts/classify_final_states.py"


rule final_state_distance:
    input:
        trajectories=final_state_trajectory,
        latents=lambda w: latents_file(w.run, config["main_nz"]),
        labels="results/runs/{run}/stats/final_state_labels.csv",
    output:
        "results/runs/{run}/stats/final_state_distance.csv",
    log:
        "results/logs/runs/{run}/classifier/final_state_distance.log",
    benchmark:
        "results/benchmarks/runs/{run}/classifier/final_state_distance.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        n_trials=config["classifier"]["n_trials"],
    script:
        "../workflow/scripts/final_state_distance.py"
