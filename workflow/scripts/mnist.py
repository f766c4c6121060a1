"""Rule mnist: IDX files (or a torchvision download) -> results/data/mnist.h5."""

from vaeconcepts import data, h5io
from vaeconcepts.job import start_job

log = start_job(snakemake)
params = snakemake.params
if params.data_dir is None:
    log.info(f"downloading MNIST through torchvision into {params.download_root}")
    arrays = data.download_mnist(params.download_root)
else:
    log.info(f"reading IDX files from {params.data_dir}")
    arrays = data.read_mnist_dir(params.data_dir)
arrays = data.subsample(arrays, params.subset["train"], params.subset["test"])
for key, value in arrays.items():
    log.info(f"{key}: {value.shape} {value.dtype}")
prov = h5io.provenance(
    {"data_dir": params.data_dir, "subset": params.subset}, inputs=list(snakemake.input)
)
h5io.write_h5(snakemake.output[0], arrays, prov=prov)
