"""The scorecard: the paper's claims and their verdicts, the study over runs, its Markdown
tables, the archive of measurements, fidelity."""
