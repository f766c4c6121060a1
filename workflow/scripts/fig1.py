"""Rule plot_fig1: one trajectory's x(0..T) and the image decoded from its concept -> Fig. 1."""

import torch

from vaeconcepts.data.splits import data_info
from vaeconcepts.figures import fig1, style
from vaeconcepts.infra import h5io
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.paper.model import load_model

log = start_job(snakemake)
params = snakemake.params
frames = h5io.read_h5(snakemake.input.trajectory, ["x"])["x"]
if params.trial >= len(frames):
    raise InputError(
        f"{snakemake.input.trajectory}: x(0..T) stored for {len(frames)} trials "
        f"only, not for trial {params.trial}"
    )
concept = h5io.read_h5(snakemake.input.latents, ["concepts"])["concepts"][params.label]
model = load_model(snakemake.input.model, expected_nz=params.nz)
with torch.no_grad():  # E_p[x | concept], eq. (6)
    image = model.generate(torch.from_numpy(concept)[None]).numpy()[0]
info = data_info(snakemake.input.data)  # image shape and class names
fig = fig1.plot(
    frames[params.trial], image, params.label, params.p, info.shape, info.classes[params.label]
)
prov = provenance(dict(params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(f"trial {params.trial} of label {params.label}, p = {params.p}, N_z = {params.nz}")
