"""The statistics tables of the measures, the N_z study, and the dynamics of repeated
inference: the nearest training memory, attractors, clustering."""
