"""The datasets: the registry of known datasets, the IDX reader, a dataset's HDF5 splits."""
