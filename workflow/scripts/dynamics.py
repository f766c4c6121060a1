"""Rule plot_dynamics: where repeated inference goes (nearest memory, attractors, rho,
clustering) for the main N_z -> the dynamics figure."""

import numpy as np
import pandas as pd
import torch

from vaeconcepts.data.splits import data_info, load_split
from vaeconcepts.figures import dynamics, style
from vaeconcepts.infra import h5io
from vaeconcepts.infra.errors import InputError
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.paper.model import load_model

log = start_job(snakemake)
i, params = snakemake.input, snakemake.params


def main_nz(path: str) -> pd.DataFrame:
    """The rows of the main N_z (and of the noisy starts at p, where the table has them)."""
    table = pd.read_csv(path)
    table = table[table["nz"] == params.nz]
    if "start" in table:
        table = table[table["start"] == "noisy"]
    if "p" in table:
        table = table[np.isclose(table["p"], params.p)]
    if table.empty:
        raise InputError(f"{path}: no rows of N_z = {params.nz}, p = {params.p}")
    return table


nearest, trials = main_nz(i.nearest), main_nz(i.trials)
attractors = pd.read_csv(i.attractors).query(f"nz == {params.nz}")
clustering = main_nz(i.clustering)
points = h5io.read_h5(i.h5, ["points"])["points"]
model = load_model(i.model, expected_nz=params.nz)
info = data_info(i.data)  # image shape and class names
train = load_split(i.data, "train")[0].numpy()
shown = dynamics.largest(trials, params.labels)
ids = sorted({a for tops in shown.values() for a, _ in tops})
with torch.no_grad():  # E_p[x | z] at each shown attractor, eq. (6)
    decoded = model.generate(torch.from_numpy(points[ids])).numpy()
memory = attractors.set_index("attractor").loc[ids, "nearest_index"].to_numpy()
images = {
    a: (decoded[j].reshape(info.shape), train[memory[j]].reshape(info.shape))
    for j, a in enumerate(ids)
}
fig = dynamics.plot(nearest, trials, attractors, clustering, images, params.labels,
                    names=info.classes)  # fmt: skip
prov = provenance(dict(params.items()), inputs=list(i))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=params.scale)
log.info(f"N_z = {params.nz}, p = {params.p}: {len(attractors)} attractors, "
         f"{len(trials)} noisy trials, {len(ids)} attractors shown")  # fmt: skip
