"""Rule noisy_inputs: training images of one label -> x(0) with swap noise of fraction p."""

import torch

from vaeconcepts.data.splits import load_split
from vaeconcepts.infra import h5io
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.paths import p_tag
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.infra.seeds import derive_seed, generator
from vaeconcepts.paper.noise import choose_sources, swap_noise

log = start_job(snakemake)
p, label = float(snakemake.wildcards.p), int(snakemake.wildcards.label)
params = snakemake.params
mode = snakemake.wildcards.mode
x, y = load_split(snakemake.input.data, "train")
# The same source images at every p (seed from the label only), fresh noise per (p, label).
sources = choose_sources(
    y.numpy(), label, params.n_trials, derive_seed(params.seed, "sources", label)
)
seed = derive_seed(params.seed, "noise", p_tag(p), label)
x0 = swap_noise(x[torch.from_numpy(sources)], p, mode, generator(seed))
log.info(f"{len(sources)} noisy images of label {label}, p = {p}, mode {mode}")
attrs = {"p": p, "label": label, "mode": mode, "seed": seed}
prov = provenance({**attrs, "n_trials": params.n_trials}, inputs=[snakemake.input.data])
h5io.write_h5(
    snakemake.output[0],
    {"x0": x0.numpy().astype("float32"), "source_index": sources.astype("int64")},
    attrs=attrs,
    prov=prov,
)
