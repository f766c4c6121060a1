"""The batched trainer: K VAEs stacked along a model axis and trained as one."""
