"""Plumbing every layer may use: errors, atomic writes, HDF5 and torch files, provenance,
seeds, job logging, GPU slots, devices."""
