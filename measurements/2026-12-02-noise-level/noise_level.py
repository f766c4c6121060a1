"""Fraction of pixels changed by swap noise at each p, for the 500 training '6's of the
paper's protocol (sources and noise seeds as rule noisy_inputs draws them).

Usage: python noise_level.py MNIST_DIR OUT.csv   (run in the repository root)
"""

import sys

import pandas as pd
import torch
import yaml

from vaeconcepts.datasets import read_dir
from vaeconcepts.noise import changed_fraction, choose_sources, swap_noise
from vaeconcepts.seeds import derive_seed, generator

cfg = yaml.safe_load(open("config.yaml"))
arrays, _ = read_dir(sys.argv[1])
x, y = torch.from_numpy(arrays["train/images"]).float() / 255, arrays["train/labels"]
label, n, seed = 6, cfg["noise"]["n_trials"], cfg["seed"]
clean = x[torch.from_numpy(choose_sources(y, label, n, derive_seed(seed, "sources", label)))]
rows = []
for mode in ("permute", "flip"):
    for p in cfg["min_distance"]["p"]:
        g = generator(derive_seed(seed, "noise", f"{p:.2f}", label))
        changed = changed_fraction(clean.numpy(), swap_noise(clean, p, mode, g).numpy())
        rows.append(dict(mode=mode, p=p, label=label, n=n, changed_pixels=round(changed, 5)))
pd.DataFrame(rows).to_csv(sys.argv[2], index=False)
print(pd.DataFrame(rows).to_string(index=False))
