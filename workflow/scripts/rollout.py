"""Rule rollout: a model and noisy inputs -> trajectories z(0..T), x(T) and x(0..T) of a few."""

import numpy as np
import torch

from vaeconcepts.infra import h5io
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.paper.inference import rollout
from vaeconcepts.paper.model import load_model

log = start_job(snakemake)
nz = int(snakemake.wildcards.nz)
params = snakemake.params
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
model = load_model(snakemake.input.model, expected_nz=nz, device=device)
noisy, meta = h5io.read_h5(snakemake.input.noisy, ["x0", "source_index"], attrs=True)
x0 = torch.from_numpy(noisy["x0"]).to(device)
traj = rollout(model, x0, params.T, params.n_frames)
log.info(f"{len(x0)} trials, T = {params.T}, N_z = {nz}, p = {meta['p']}, label {meta['label']}")
n = len(x0)
attrs = {
    "nz": nz,
    "p": float(meta["p"]),
    "T": params.T,
    "mode": meta["mode"],
    "seed": int(meta["seed"]),
    "label": int(meta["label"]),
}
prov = provenance(attrs, inputs=[snakemake.input.model, snakemake.input.noisy])
h5io.write_h5(
    snakemake.output[0],
    {
        "z": traj.z.cpu().numpy().astype("float32"),
        "x_final": traj.x_final.cpu().numpy().astype("float32"),
        "x": traj.x.cpu().numpy().astype("float32"),
        "source_index": noisy["source_index"],
        "labels": np.full(n, meta["label"], dtype="uint8"),
    },
    attrs=attrs,
    prov=prov,
)
