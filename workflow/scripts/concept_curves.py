"""Rule concept_curves: trajectories -> distance to the concept per t (eq. 10) and its dip."""

import pandas as pd

from vaeconcepts.analysis import tables
from vaeconcepts.infra import h5io
from vaeconcepts.infra.atomic import write_csv
from vaeconcepts.infra.job import start_job

log = start_job(snakemake)
n = snakemake.params.n_trials
concepts = {}
for path in snakemake.input.latents:
    arrays, meta = h5io.read_h5(path, ["concepts"], attrs=True)
    concepts[int(meta["nz"])] = arrays["concepts"]
curves = []
for path in snakemake.input.trajectories:
    arrays, meta = h5io.read_trials(path, ["z"], n)
    nz, p, label = int(meta["nz"]), float(meta["p"]), int(meta["label"])
    curve = tables.concept_curve(arrays["z"], concepts[nz][label])
    curves.append(curve.assign(nz=nz, p=p, label=label))
    log.info(f"N_z = {nz}, p = {p:g}, label {label}: {n} trials, T = {len(curve) - 1}")
curves = pd.concat(curves)[["nz", "p", "label", "t", "mean", "sem", "n"]]
curves = curves.sort_values(["nz", "p", "label", "t"])
write_csv(snakemake.output.curves, curves)
write_csv(snakemake.output.dips, tables.concept_dips(curves))
