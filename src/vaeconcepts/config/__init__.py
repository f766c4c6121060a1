"""The configuration: validation, the runs sheet, labels, recorded settings, the schema
reference. Imports no torch (it runs where snakemake runs)."""
