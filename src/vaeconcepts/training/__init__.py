"""Training: the trainer, its step and epoch loop, checkpoints, precision, CUDA graphs, the
Appendix B classifier; `stacked/` the batched trainer."""
