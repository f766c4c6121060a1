# One VAE per (run, N_z) (section 2): Adam, learning rate stepped through train.schedule.
# Only the owner run of each model is asked for it (rules/common.smk, model_file). With
# train.batched, one job per training batch (runs.training_batches) trains its VAEs as one
# stacked model and rule unstack_vae writes each one's files, the same as train_vae's.


if not config["train"]["batched"]:

    rule train_vae:
        input:
            data=lambda w: data_file(w.run),
        output:
            model="results/runs/{run}/models/nz{nz}/model.pt",
            history="results/runs/{run}/models/nz{nz}/history.csv",
        log:
            "results/logs/runs/{run}/train/nz{nz}.log",
        benchmark:
            "results/benchmarks/runs/{run}/train/nz{nz}.tsv"
        conda:
            "../envs/vaeconcepts.yaml"
        threads: 2
        resources:
            mem_mb=train_mem_mb,
            runtime=train_runtime,
            gpu=1,
        params:
            settings=lambda w: train_settings(R(w), int(w.nz)),
            model=lambda w: R(w)["model"],
            binarize=lambda w: R(w)["binarize"],
            seed=lambda w: R(w)["seed"],
            device=config["device"],
            cuda_graph=config["cuda_graph"],
        script:
            "../workflow/scripts/train_vae.py"

else:

    rule train_batch:
        input:
            data=lambda w: data_file(BATCHES[w.batch][0][0]),
        output:
            temp(directory("results/batches/{batch}/models")),
        log:
            "results/logs/batches/{batch}.log",
        benchmark:
            "results/benchmarks/batches/{batch}.tsv"
        wildcard_constraints:
            batch="|".join(re.escape(b) for b in BATCHES),
        conda:
            "../envs/vaeconcepts.yaml"
        threads: 2
        resources:
            mem_mb=train_batch_mem_mb,
            runtime=train_batch_runtime,
            gpu=1,
        params:
            members=batch_members,
            shared=batch_shared,
            device=config["device"],
            cuda_graph=config["cuda_graph"],
        script:
            "../workflow/scripts/train_batch.py"

    rule unstack_vae:
        input:
            lambda w: batch_folder(w.run, w.nz),
        output:
            model="results/runs/{run}/models/nz{nz}/model.pt",
            history="results/runs/{run}/models/nz{nz}/history.csv",
        log:
            "results/logs/runs/{run}/train/nz{nz}.log",
        benchmark:
            "results/benchmarks/runs/{run}/train/nz{nz}.tsv"
        localrule: True
        conda:
            "../envs/vaeconcepts.yaml"
        resources:
            mem_mb=train_mem_mb,
            runtime=5,
        params:
            # train_vae's: a changed setting of this VAE reruns its batch
            settings=lambda w: train_settings(R(w), int(w.nz)),
            model=lambda w: R(w)["model"],
            binarize=lambda w: R(w)["binarize"],
            seed=lambda w: R(w)["seed"],
        script:
            "../workflow/scripts/unstack_vae.py"
