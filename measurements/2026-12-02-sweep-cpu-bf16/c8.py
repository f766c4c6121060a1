"""C8 (Fig. 7) from a sweep's generalization.csv, by the scorecard's own measure and rule
(src/vaeconcepts/claims.py: c8_generalization, CLAIMS' C8).

Usage: python c8.py generalization.csv c8.csv   (run in the repository root)
"""

import sys

import pandas as pd

from vaeconcepts.claims import BY_ID, c8_generalization, rule_text

generalization = pd.read_csv(sys.argv[1])
values, ours, note = c8_generalization({"generalization": generalization}, {})
claim = BY_ID["C8"]
reproduced_if, partly_if = rule_text(claim.quantities[0])
row = dict(claim="C8", where=claim.where, text=claim.text, paper=claim.paper, ours=ours,
           value=values[0], verdict=claim.verdict(values), reproduced_if=reproduced_if,
           partly_if=partly_if, note=note)  # fmt: skip
pd.DataFrame([row]).to_csv(sys.argv[2], index=False)
print("\n".join(f"{k}: {v}" for k, v in row.items()))
