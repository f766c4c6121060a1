"""Rule plot_figB2: final-state probabilities and distance curves -> Fig. B.2."""

import pandas as pd

from vaeconcepts import h5io
from vaeconcepts.figures import figB2, style
from vaeconcepts.job import start_job

log = start_job(snakemake)
labels = pd.read_csv(snakemake.input.labels)
probs = labels[[f"prob{k}" for k in range(10)]].to_numpy()
T = int(pd.read_csv(snakemake.input.summary)["T"].iloc[0])
fig = figB2.plot(probs, pd.read_csv(snakemake.input.distance), snakemake.params.label, T)
prov = h5io.provenance(dict(snakemake.params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov)
log.info(f"{len(probs)} final states, T = {T}")
