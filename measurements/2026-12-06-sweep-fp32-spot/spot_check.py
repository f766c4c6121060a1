"""The fp32 spot check of the Fig. 7 sweep against bf16, by the rule in README.md (fixed before
the fp32 runs finished). The test ELBO is each model's at its last epoch, as in the sweep's
generalization.csv. Run in the repository root:
    python measurements/2026-12-06-sweep-fp32-spot/spot_check.py
"""

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
BF16 = HERE.parent / "2026-12-02-sweep-cpu-bf16"
TOLERANCE = 2.0  # nats: C18's "as good as the best"
NZ = (2, 14, 100)


def last_test_elbo(folder: Path, nz: int) -> tuple[float, int]:
    history = pd.read_csv(folder / f"runs/paper/sweep/nz{nz}/lr0.001_bs100/history.csv")
    return float(history["test_elbo"].iloc[-1]), int(history["active_units"].iloc[-1])


rows = []
for nz in NZ:
    (fp32, units32), (bf16, units16) = last_test_elbo(HERE, nz), last_test_elbo(BF16, nz)
    rows.append(dict(nz=nz, test_elbo_fp32=fp32, test_elbo_bf16=bf16, difference=fp32 - bf16,
                     within_tolerance=abs(fp32 - bf16) < TOLERANCE,
                     active_units_fp32=units32, active_units_bf16=units16))  # fmt: skip
table = pd.DataFrame(rows).set_index("nz")


def readings(column: str) -> tuple[bool, bool]:
    """(N_z = 14 within TOLERANCE of N_z = 100, N_z = 2 within TOLERANCE of N_z = 100)."""
    e = table[column]
    return bool(abs(e[14] - e[100]) < TOLERANCE), bool(abs(e[2] - e[100]) < TOLERANCE)


rule1 = bool(table["within_tolerance"].all())
rule2 = readings("test_elbo_fp32") == readings("test_elbo_bf16") == (True, False)
table.to_csv(HERE / "spot_check.csv")
print(table.to_string())
print(f"readings fp32 (14 near 100, 2 near 100): {readings('test_elbo_fp32')}; "
      f"bf16: {readings('test_elbo_bf16')}")  # fmt: skip
print(f"rule 1 (every |fp32 - bf16| < {TOLERANCE} nats): {rule1}; rule 2 (same readings): "
      f"{rule2}; bf16 stands for the sweep: {rule1 and rule2}")  # fmt: skip
