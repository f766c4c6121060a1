# Latent size and the classifier (sections 3.3, 3.4, Appendix B): onset table, Figs 6, 7, B.2.
# Inputs from rules/stats.smk: distance_to_concept.csv and cosine.csv.


rule onset_table:
    input:
        "results/stats/distance_to_concept.csv",
    output:
        report(
            "results/stats/onset.csv",
            caption="../report/onset.rst",
            category="Tables",
        ),
    log:
        "results/logs/stats/onset.log",
    benchmark:
        "results/benchmarks/stats/onset.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=config["onset"]["nz"],
        label=config["onset"]["label"],
        p=config["concept_curves"]["p"],
    script:
        "../workflow/scripts/onset_table.py"


rule plot_fig6:
    input:
        distance="results/stats/distance_to_concept.csv",
        cosine="results/stats/cosine.csv",
    output:
        png=report(
            "results/figures/fig6.png",
            caption="../report/fig6.rst",
            category="Figures",
        ),
        pdf="results/figures/fig6.pdf",
    log:
        "results/logs/figures/fig6.log",
    benchmark:
        "results/benchmarks/figures/fig6.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=config["nz"],
        label=config["onset"]["label"],
        p=config["concept_curves"]["p"],
    script:
        "../workflow/scripts/fig6.py"


rule plot_fig7:
    input:
        "results/stats/generalization.csv",
    output:
        png=report(
            "results/figures/fig7.png",
            caption="../report/fig7.rst",
            category="Figures",
        ),
        pdf="results/figures/fig7.pdf",
    log:
        "results/logs/figures/fig7.log",
    benchmark:
        "results/benchmarks/figures/fig7.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        epochs=config["sweep"]["epochs"],
    script:
        "../workflow/scripts/fig7.py"


rule plot_figB2:
    input:
        labels="results/stats/final_state_labels.csv",
        distance="results/stats/final_state_distance.csv",
        summary="results/stats/final_state_summary.csv",
    output:
        png=report(
            "results/figures/figB2.png",
            caption="../report/figB2.rst",
            category="Figures",
        ),
        pdf="results/figures/figB2.pdf",
    log:
        "results/logs/figures/figB2.log",
    benchmark:
        "results/benchmarks/figures/figB2.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        label=config["classifier"]["label"],
    script:
        "../workflow/scripts/figB2.py"
