"""The paper's equations: the VAE (eq. 5), repeated inference (eqs. 6-7), concepts
(eqs. 8, 9, 12), measures (eqs. 10, 11, 13), swap noise. Imports nothing of ours but infra."""
