# Appendix B: a CNN trained on MNIST labels the final states x(T) of the trajectories.


rule train_classifier:
    input:
        data="results/data/mnist.h5",
    output:
        model="results/models/classifier.pt",
        history="results/models/classifier_history.csv",
        stats=report(
            "results/stats/classifier.csv",
            caption="../report/classifier.rst",
            category="Tables",
        ),
    log:
        "results/logs/classifier/train.log",
    benchmark:
        "results/benchmarks/classifier/train.tsv"
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
        model="results/models/classifier.pt",
        trajectories=final_state_trajectory(),
    output:
        labels="results/stats/final_state_labels.csv",
        summary=report(
            "results/stats/final_state_summary.csv",
            caption="../report/final_state_summary.rst",
            category="Tables",
        ),
    log:
        "results/logs/classifier/final_states.log",
    benchmark:
        "results/benchmarks/classifier/final_states.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        n_trials=config["classifier"]["n_trials"],
        device=config["device"],
    script:
        "../workflow/scripts/classify_final_states.py"


rule final_state_distance:
    input:
        trajectories=final_state_trajectory(),
        latents=f"results/latents/nz{config['main_nz']}.h5",
        labels="results/stats/final_state_labels.csv",
    output:
        "results/stats/final_state_distance.csv",
    log:
        "results/logs/classifier/final_state_distance.log",
    benchmark:
        "results/benchmarks/classifier/final_state_distance.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        n_trials=config["classifier"]["n_trials"],
    script:
        "../workflow/scripts/final_state_distance.py"
