"""Rule dataset: IDX files (or a torchvision download) -> results/data/{dataset}.h5, with the
image shape and class names as attributes."""

from vaeconcepts.data import loading, splits
from vaeconcepts.data.registry import data_dir_of
from vaeconcepts.infra import h5io
from vaeconcepts.infra.job import start_job
from vaeconcepts.infra.provenance import provenance

log = start_job(snakemake)
params, name = snakemake.params, snakemake.wildcards.dataset
data_dir = data_dir_of(snakemake.config, name)  # not a param: its spelling reruns nothing
where = data_dir or f"torchvision into {params.download_root}"
log.info(f"dataset {name}: reading IDX files from {where}")
log.info(f"files: {params.source}")
arrays, shape, classes = loading.load(name, data_dir, params.download_root)
arrays = splits.subsample(arrays, params.subset["train"], params.subset["test"])
loading.check(arrays, classes, data_dir or params.download_root, name)
for key, value in arrays.items():
    log.info(f"{key}: {value.shape} {value.dtype}")
info = splits.DataInfo(name, shape, classes)
log.info(f"images {shape[0]} x {shape[1]}, classes {list(classes)}")
prov = provenance({"data_dir": data_dir, "source": params.source, "subset": params.subset})
h5io.write_h5(snakemake.output[0], arrays, attrs=info.attrs(), prov=prov)
