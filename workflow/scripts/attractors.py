"""Rule attractors: long rollouts of the latent map of one N_z's model from the noisy inputs
and from clean memories -> its attractors, trials, their summary and the clustering."""

import numpy as np
import torch

from vaeconcepts.analysis.dynamics import attractor_study
from vaeconcepts.infra import h5io
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.paper.model import load_model
from vaeconcepts.training.classifier import load_classifier, probabilities

log = start_job(snakemake)
i, params, nz = snakemake.input, snakemake.params, int(snakemake.wildcards.nz)
torch.set_num_threads(snakemake.threads)
model = load_model(i.model, expected_nz=nz, device="cpu")
classifier = load_classifier(i.classifier, "cpu")
latent = h5io.read_h5(i.latents, ["train/mu", "train/labels", "concepts"])
noisy = []
for path in i.noisy:
    arrays, meta = h5io.read_h5(path, ["x0", "source_index"], attrs=True)
    n = params.n_trials
    noisy.append(
        (arrays["x0"][:n], arrays["source_index"][:n], int(meta["label"]), float(meta["p"]))
    )
tables, arrays = attractor_study(
    model,
    lambda images: probabilities(classifier, images).argmax(1),
    noisy,
    torch.from_numpy(latent["train/mu"]),
    torch.from_numpy(latent["train/labels"].astype(np.int64)),
    torch.from_numpy(latent["concepts"]),
    **params.attractors,
    seed=params.seed,
)
trials, found = tables["trials"], tables["attractors"]
for start, part in trials.groupby("start"):
    means = part[["converged", "at_memory", "nearer_concept"]].mean().round(2).to_dict()
    log.info(f"N_z = {nz}, {start} starts: {len(part)} trials, fractions {means}")
log.info(f"{len(found)} attractors, stable (rho < 1): {int(found['stable'].sum())}")
for name, table in tables.items():
    write_csv(snakemake.output[name], table)
prov = provenance({"nz": nz, **params.attractors}, inputs=[i.model, i.latents, *i.noisy])
h5io.write_h5(snakemake.output.h5, arrays, attrs={"nz": nz, **params.attractors}, prov=prov)
