"""The statistics tables of the measures and the N_z study."""
