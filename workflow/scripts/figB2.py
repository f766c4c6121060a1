"""Rule plot_figB2: final-state probabilities and distance curves -> Fig. B.2."""

import pandas as pd

from vaeconcepts.data.splits import data_info
from vaeconcepts.figures import figB2, style
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
labels = pd.read_csv(snakemake.input.labels)
probs = labels.filter(regex=r"^prob\d+$").to_numpy()  # one column per class
T = int(pd.read_csv(snakemake.input.summary)["T"].iloc[0])
info = data_info(snakemake.input.data)  # image shape and class names
distance = pd.read_csv(snakemake.input.distance)
fig = figB2.plot(probs, distance, snakemake.params.label, T, info.classes)
prov = provenance(dict(snakemake.params.items()), inputs=list(snakemake.input))
style.save(fig, snakemake.output.png, snakemake.output.pdf, prov=prov, scale=snakemake.params.scale)
log.info(f"{len(probs)} final states, T = {T}")
