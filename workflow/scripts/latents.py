"""Rule latents: a model and MNIST -> memories, concepts and abstract concept (eqs. 8, 9, 12)."""

from vaeconcepts import concepts, h5io
from vaeconcepts.data import load_split
from vaeconcepts.devices import pick_device
from vaeconcepts.gpuslots import claim_gpu
from vaeconcepts.model import load_model
from vaeconcepts.runlog import open_log

log = open_log(snakemake.log[0])
nz = int(snakemake.wildcards.nz)
claim_gpu(snakemake.params.device, log.info)  # this job's own GPU when several run at once
device = pick_device(snakemake.params.device)
model = load_model(snakemake.input.model, expected_nz=nz, device=device)
out, memories = {}, {}
for split in ("train", "test"):
    x, y = load_split(snakemake.input.data, split, device)
    memories[split] = (concepts.memories(model, x), y)
    out[f"{split}/mu"] = memories[split][0].cpu().numpy()
    out[f"{split}/labels"] = y.cpu().numpy().astype("uint8")
    log.info(f"{split}: {len(x)} memories of N_z = {nz}")
c = concepts.concepts(*memories["train"])  # concepts from the training memories, eq. (8)
out["concepts"] = c.cpu().numpy()
out["abstract_concept"] = concepts.abstract_concept(c).cpu().numpy()
prov = h5io.provenance({"nz": nz}, inputs=[snakemake.input.model, snakemake.input.data])
h5io.write_h5(snakemake.output[0], out, attrs={"nz": nz}, prov=prov)
