# Figures 1-4 and A.1 of the paper, PNG and PDF, from the trajectories, latents and statistics.


rule plot_fig1:
    input:
        trajectory=trajectory(
            config["main_nz"],
            config["concept_curves"]["p"],
            config["image_strip"]["label"],
        ),
        latents=f"results/latents/nz{config['main_nz']}.h5",
        model=f"results/models/nz{config['main_nz']}/model.pt",
    output:
        png=report(
            "results/figures/fig1.png",
            caption="../report/fig1.rst",
            category="Figures",
        ),
        pdf="results/figures/fig1.pdf",
    log:
        "results/logs/figures/fig1.log",
    benchmark:
        "results/benchmarks/figures/fig1.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1500,
        runtime=5,
    params:
        nz=config["main_nz"],
        p=config["concept_curves"]["p"],
        label=config["image_strip"]["label"],
        trial=config["image_strip"]["trial"],
    script:
        "../workflow/scripts/fig1.py"


rule plot_fig2:
    input:
        curves="results/stats/distance_to_concept.csv",
    output:
        png=report(
            "results/figures/fig2.png",
            caption="../report/fig2.rst",
            category="Figures",
        ),
        pdf="results/figures/fig2.pdf",
    log:
        "results/logs/figures/fig2.log",
    benchmark:
        "results/benchmarks/figures/fig2.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=config["main_nz"],
        p=config["concept_curves"]["p"],
        labels=config["concept_curves"]["labels"],
    script:
        "../workflow/scripts/fig2.py"


rule plot_fig3:
    input:
        latents=f"results/latents/nz{config['main_nz']}.h5",
        pca=f"results/stats/nz{config['main_nz']}/pca.csv",
        cosine=f"results/stats/nz{config['main_nz']}/cosine.csv",
    output:
        png=report(
            "results/figures/fig3.png",
            caption="../report/fig3.rst",
            category="Figures",
        ),
        pdf="results/figures/fig3.pdf",
    log:
        "results/logs/figures/fig3.log",
    benchmark:
        "results/benchmarks/figures/fig3.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        nz=config["main_nz"],
        pca_levels=config["pca_levels"],
    script:
        "../workflow/scripts/fig3.py"


rule plot_fig4:
    input:
        min_distance="results/stats/min_distance.csv",
        stages="results/stats/stages.csv",
    output:
        png=report(
            "results/figures/fig4.png",
            caption="../report/fig4.rst",
            category="Figures",
        ),
        pdf="results/figures/fig4.pdf",
    log:
        "results/logs/figures/fig4.log",
    benchmark:
        "results/benchmarks/figures/fig4.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        label=config["min_distance"]["label"],
    script:
        "../workflow/scripts/fig4.py"


rule plot_figA1:
    input:
        latents=f"results/latents/nz{config['main_nz']}.h5",
    output:
        png=report(
            "results/figures/figA1.png",
            caption="../report/figA1.rst",
            category="Figures",
        ),
        pdf="results/figures/figA1.pdf",
    log:
        "results/logs/figures/figA1.log",
    benchmark:
        "results/benchmarks/figures/figA1.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        nz=config["main_nz"],
        pca_labels=config["pca_labels"],
    script:
        "../workflow/scripts/figA1.py"
