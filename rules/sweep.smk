# Fig. 7 sweep (section 3.4): one VAE per (N_z, learning rate, batch size), constant
# learning rate for sweep.epochs epochs. Heavy: only built by `snakemake fig7`. With
# sweep.batched, one job per batch size trains all its (N_z, lr) as one stacked model. Runs whose
# seed, model, binarisation and data are equal share one sweep (rules/common.smk).


if not config["sweep"]["batched"]:

    rule sweep_vae:
        input:
            data=lambda w: data_file(w.run),
        output:
            "results/runs/{run}/sweep/nz{nz}/lr{lr}_bs{bs}/history.csv",
        log:
            "results/logs/runs/{run}/sweep/nz{nz}/lr{lr}_bs{bs}.log",
        benchmark:
            "results/benchmarks/runs/{run}/sweep/nz{nz}/lr{lr}_bs{bs}.tsv"
        wildcard_constraints:
            lr=r"[0-9][0-9.e+-]*",
            bs=r"[1-9][0-9]*",
        conda:
            "../envs/vaeconcepts.yaml"
        threads: 2
        resources:
            mem_mb=train_mem_mb,
            runtime=lambda w: 10 + config["sweep"]["epochs"] * max(1, 100 // int(w.bs)),
            gpu=1,
        params:
            epochs=config["sweep"]["epochs"],
            model=lambda w: R(w)["model"],
            binarize=lambda w: R(w)["binarize"],
            seed=lambda w: R(w)["seed"],
            device=config["device"],
            cuda_graph=config["cuda_graph"],
        script:
            "../workflow/scripts/sweep_vae.py"

else:

    rule sweep_batch:
        input:
            data=lambda w: data_file(w.run),
        output:
            expand(
                "results/runs/{{run}}/sweep/nz{nz}/lr{lr}_bs{{bs}}/history.csv",
                nz=config["sweep"]["nz"],
                lr=[paths.lr_tag(lr) for lr in config["sweep"]["lr"]],
            ),
        log:
            "results/logs/runs/{run}/sweep/batch_bs{bs}.log",
        benchmark:
            "results/benchmarks/runs/{run}/sweep/batch_bs{bs}.tsv"
        wildcard_constraints:
            bs=r"[1-9][0-9]*",
        conda:
            "../envs/vaeconcepts.yaml"
        threads: 2
        resources:
            mem_mb=lambda w: sweep_batch_mem_mb(w),
            runtime=lambda w: 10
            + config["sweep"]["epochs"]
            * max(1, 100 // int(w.bs))
            * len(config["sweep"]["nz"])
            * len(config["sweep"]["lr"]),
            gpu=1,
        params:
            nz=config["sweep"]["nz"],
            lr=config["sweep"]["lr"],
            epochs=config["sweep"]["epochs"],
            model=lambda w: R(w)["model"],
            binarize=lambda w: R(w)["binarize"],
            seed=lambda w: R(w)["seed"],
            device=config["device"],
            cuda_graph=config["cuda_graph"],
        script:
            "../workflow/scripts/sweep_batch.py"


rule generalization:
    input:
        sweep_histories,
    output:
        report(
            "results/runs/{run}/stats/generalization.csv",
            caption="../report/generalization.rst",
            category="{run}",
            subcategory=SECTIONS["3.3"],
            labels={"run": "{run}", "table": "generalization"},
        ),
    log:
        "results/logs/runs/{run}/stats/generalization.log",
    benchmark:
        "results/benchmarks/runs/{run}/stats/generalization.tsv"
    conda:
        "../envs/vaeconcepts.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        sweep=config["sweep"],
    script:
        "../workflow/scripts/generalization.py"
