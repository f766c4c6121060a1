# Every figure of the paper, per run, PNG and PDF: one table (FIGURES), one plot rule per
# entry (plot_<fig>, script workflow/scripts/<fig>.py, caption report/<fig>.rst) and one
# target rule per entry (<fig>: that figure for every run). A new figure is one entry here.

MAIN_NZ = config["main_nz"]
CURVE_P = config["concept_curves"]["p"]


FIGURES = {
    "fig1": dict(  # x(0..T) of one trial and the image of its concept
        section="3.1",
        label="Fig. 1",
        input=dict(
            trajectory=lambda w: trajectory(
                w.run, MAIN_NZ, CURVE_P, R(w)["image_strip"]["label"]
            ),
            latents=lambda w: latents_file(w.run, MAIN_NZ),
            model=lambda w: model_file(w.run, MAIN_NZ),
        ),
        params=dict(
            nz=MAIN_NZ,
            p=CURVE_P,
            label=lambda w: R(w)["image_strip"]["label"],
            trial=config["image_strip"]["trial"],
            mode=lambda w: R(w)["noise"]["mode"],
        ),
        mem_mb=1500,
    ),
    "fig2": dict(  # distance to the concept vs t, one panel per label
        section="3.1",
        label="Fig. 2",
        input=dict(curves=stats_file("distance_to_concept")),
        params=dict(
            nz=MAIN_NZ, p=CURVE_P, labels=lambda w: R(w)["concept_curves"]["labels"]
        ),
        mem_mb=1000,
    ),
    "fig3": dict(  # concepts, PCA of the memories, cosine of the concepts
        section="3.1",
        label="Fig. 3",
        input=dict(
            latents=lambda w: latents_file(w.run, MAIN_NZ),
            pca=stats_file(f"nz{MAIN_NZ}/pca"),
            cosine=stats_file(f"nz{MAIN_NZ}/cosine"),
        ),
        params=dict(nz=MAIN_NZ, pca_levels=config["pca_levels"]),
        mem_mb=1000,
    ),
    "fig4": dict(  # minimum distances vs p and the stages
        section="3.2",
        label="Fig. 4",
        input=dict(
            min_distance=stats_file("min_distance"), stages=stats_file("stages")
        ),
        params=dict(label=lambda w: R(w)["min_distance"]["label"]),
        mem_mb=1000,
    ),
    "fig6": dict(  # distance curves and cosine matrices per N_z
        section="3.3",
        label="Fig. 6",
        input=dict(
            distance=stats_file("distance_to_concept"), cosine=stats_file("cosine")
        ),
        params=dict(nz=config["nz"], label=lambda w: R(w)["onset"]["label"], p=CURVE_P),
        mem_mb=1000,
    ),
    "fig7": dict(  # best test ELBO vs N_z of the sweep
        section="3.3",
        label="Fig. 7",
        input=dict(generalization=stats_file("generalization")),
        params=dict(
            epochs=config["sweep"]["epochs"],
            n_samples=lambda w: R(w)["model"]["n_samples"],
        ),
        mem_mb=1000,
    ),
    "figA1": dict(  # 2-D PCA of the memories
        section="app",
        label="Fig. A.1",
        input=dict(latents=lambda w: latents_file(w.run, MAIN_NZ)),
        params=dict(nz=MAIN_NZ, pca_labels=lambda w: R(w)["pca_labels"]),
        mem_mb=2000,
    ),
    "figB2": dict(  # classifier labels of x(T) and distances of the trials that stay
        section="app",
        label="Fig. B.2",
        input=dict(
            labels=stats_file("final_state_labels"),
            distance=stats_file("final_state_distance"),
            summary=stats_file("final_state_summary"),
        ),
        params=dict(label=lambda w: R(w)["classifier"]["label"]),
        mem_mb=1000,
    ),
    "dynamics": dict(  # where inference goes: nearest memory, attractors, rho, clustering
        section="3.1",
        label="Dynamics",
        input=dict(
            nearest=stats_file("nearest_memory"),
            trials=stats_file("attractor_trials"),
            attractors=stats_file("attractors"),
            clustering=stats_file("clustering"),
            h5=lambda w: f"results/runs/{w.run}/attractors/nz{MAIN_NZ}.h5",
            model=lambda w: model_file(w.run, MAIN_NZ),
        ),
        params=dict(
            nz=MAIN_NZ, p=CURVE_P, labels=lambda w: R(w)["concept_curves"]["labels"]
        ),
        mem_mb=2000,
    ),
}


for fig, spec in FIGURES.items():

    rule:
        name:
            f"plot_{fig}"
        input:
            **spec["input"],
            data=lambda w: data_file(w.run),  # image shape and class names
        output:
            png=report(
                f"results/runs/{{run}}/figures/{fig}.png",
                caption=f"../report/{fig}.rst",
                category="{run}",
                subcategory=SECTIONS[spec["section"]],
                labels={"run": "{run}", "figure": spec["label"]},
            ),
            pdf=f"results/runs/{{run}}/figures/{fig}.pdf",
        log:
            f"results/logs/runs/{{run}}/figures/{fig}.log",
        benchmark:
            f"results/benchmarks/runs/{{run}}/figures/{fig}.tsv"
        conda:
            "../envs/vaeconcepts.yaml"
        resources:
            mem_mb=spec["mem_mb"],
            runtime=5,
        params:
            **spec["params"],
            figure=fig,
            # The run's scale when not the paper's, stamped on the figure (config/scale.py).
            scale=lambda w: scale_stamp(R(w)),
        script:
            # Formatted when the job runs (after the loop): from params, not from `fig`.
            "../workflow/scripts/{params.figure}.py"


# The README's two pictures, from a quick run (after it):
#   snakemake readme_pictures --configfile presets/quick.yaml
# tests/test_docs.py fails when the figure code has changed since they were made.
localrules:
    readme_pictures,


rule readme_pictures:
    input:
        fig2="results/runs/paper/figures/fig2.png",
        claims="results/study/claims.png",
    output:
        fig2="docs/quick-fig2.png",
        claims="docs/quick-claims.png",
    log:
        "results/logs/readme_pictures.log",
    benchmark:
        "results/benchmarks/readme_pictures.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=200,
        runtime=1,
    params:
        subset=config["subset"],  # a quick run's: 3,000 training images
    shell:
        "cp {input.fig2} {output.fig2} && cp {input.claims} {output.claims} 2> {log}"
