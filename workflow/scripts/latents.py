"""Rule latents: a model and its dataset -> memories, concepts, abstract concept (eqs. 8, 9, 12),
with the dataset's image shape and class names as attributes."""

from vaeconcepts.data.splits import data_info, load_split
from vaeconcepts.infra import h5io
from vaeconcepts.infra.job import job_device, start_job
from vaeconcepts.infra.provenance import provenance
from vaeconcepts.paper import concepts
from vaeconcepts.paper.model import load_model

log = start_job(snakemake)
nz = int(snakemake.wildcards.nz)
device = job_device(snakemake, log)  # its own GPU when several jobs run at once
model = load_model(snakemake.input.model, expected_nz=nz, device=device)
out, memories = {}, {}
for split in ("train", "test"):
    x, y = load_split(snakemake.input.data, split, device)
    memories[split] = (concepts.memories(model, x), y)
    out[f"{split}/mu"] = memories[split][0].cpu().numpy()
    out[f"{split}/labels"] = y.cpu().numpy().astype("uint8")
    out[f"{split}/unit_kl"] = concepts.unit_kl(model, x).cpu().numpy()
    log.info(f"{split}: {len(x)} memories of N_z = {nz}")
info = data_info(snakemake.input.data)
c = concepts.concepts(*memories["train"], info.n_classes)  # from the training memories, eq. (8)
out["concepts"] = c.cpu().numpy()
out["abstract_concept"] = concepts.abstract_concept(c).cpu().numpy()
prov = provenance({"nz": nz}, inputs=[snakemake.input.model, snakemake.input.data])
h5io.write_h5(snakemake.output[0], out, attrs={"nz": nz, **info.attrs()}, prov=prov)
