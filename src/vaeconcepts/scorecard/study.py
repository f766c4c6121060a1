"""A run's scorecard (one row per claim: the paper, ours, the verdict, the settings that
matter) and the study across runs, with mean, sd and n over runs that differ only in seed."""

from __future__ import annotations

import pandas as pd

from vaeconcepts.scorecard import claims, dynamics_claims
from vaeconcepts.scorecard.claims import FIG6_NZ, VERDICTS, rule_text

# Every claim of the scorecard: the paper's figures (C1-C11), then the dynamics (C12-C19).
CLAIMS = (*claims.CLAIMS, *dynamics_claims.CLAIMS)
BY_ID = {c.id: c for c in CLAIMS}


def scorecard(
    tables: dict[str, pd.DataFrame | None], cfg: dict, run: str, epochs: dict[int, int]
) -> pd.DataFrame:
    """One row per claim: the paper, ours, the verdict and the run's settings that matter.

    `cfg`: the run's full settings; `epochs`: the training epochs of each N_z's VAE.
    """
    measured = {claim.id: claim.measure(tables, cfg) for claim in CLAIMS}
    applicable = cfg.get("dataset", "mnist") == "mnist"
    model = cfg["model"]
    settings = dict(run=run, dataset=cfg.get("dataset", "mnist"), seed=cfg["seed"],
                    init=model["init"], binarize=cfg["binarize"],
                    noise_mode=cfg["noise"]["mode"], n_samples=model["n_samples"],
                    beta=model.get("beta", 1))  # fmt: skip
    fig6, onset = _models(FIG6_NZ, epochs), _models(cfg["onset"]["nz"], epochs)
    where = {  # (N_z, epochs) each claim is measured on
        **dict.fromkeys(("C6", "C7", "C16", "C19"), fig6),
        "C8": ("sweep", str(cfg["sweep"]["epochs"])),
        "C9": ("-", str(cfg["classifier"]["epochs"])),
        "C17": onset,
        "C18": ("sweep,100", f"{cfg['sweep']['epochs']}/{epochs.get(100, '-')}"),
    }
    main = (str(cfg["main_nz"]), str(epochs[cfg["main_nz"]]))
    rows = []
    for claim in CLAIMS:
        values, ours, note, *verdict = measured[claim.id]
        verdict = verdict[0] if verdict else claim.verdict(values)
        reproduced_if, partly_if = zip(*(rule_text(q) for q in claim.quantities), strict=True)
        nz, n_epochs = where.get(claim.id, main)
        rows.append(
            dict(claim=claim.id, where=claim.where, text=claim.describe(cfg), paper=claim.paper,
                 ours=ours, value=values[0], value_b=values[1] if len(values) > 1 else None,
                 verdict=verdict if applicable else "not applicable",
                 reproduced_if=" and ".join(reproduced_if),
                 partly_if=" and ".join(partly_if), nz=nz, epochs=n_epochs, **settings,
                 note=note)
        )  # fmt: skip
    return pd.DataFrame(rows)


def _models(nzs, epochs: dict[int, int]) -> tuple[str, str]:
    """The N_z of a claim over several models and their training epochs, as the card writes
    them ('2,5,10,20,100', '200')."""
    trained = sorted({epochs[nz] for nz in nzs if nz in epochs})
    return ",".join(map(str, nzs)), "/".join(map(str, trained))


def _spread(mean: float, sd: float) -> str:
    """'mean ± sd' in four and two significant digits; an sd of rounding noise reads 0."""
    sd = 0.0 if sd <= 1e-9 * max(1.0, abs(mean)) else sd
    return f"{mean:.4g} ± {sd:.2g}"


def group_label(group: str) -> str:
    """A seed group's study name ('a + a-seed1 + a-seed2') as a short label: 'a × 3 seeds'."""
    runs = group.split(" + ")
    return f"{runs[0]} × {len(runs)} seeds"


def study(cards: pd.DataFrame, seed_groups: dict[str, list[str]]) -> pd.DataFrame:
    """Every run's scorecard (`kind` run) plus, for each group of runs that differ only in
    seed, the mean, sd and n of each claim's values and the count of each verdict (`kind`
    seeds)."""
    rows = [cards.assign(kind="run", n_runs=1)]
    for runs in seed_groups.values():
        part = cards[cards["run"].isin(runs)]
        for claim in CLAIMS:
            g = part[part["claim"] == claim.id]
            if g.empty:  # a scorecard of fewer claims (an older one, a test's)
                continue
            counts = g["verdict"].value_counts()
            seeds = ",".join(map(str, g["seed"]))
            row = g.iloc[0].to_dict() | dict(
                kind="seeds", run=" + ".join(runs), n_runs=len(g), seed=seeds, note=""
            )
            for col in ("value", "value_b"):
                values = pd.to_numeric(g[col], errors="coerce").dropna()
                row[col] = values.mean() if len(values) else None
                row[f"{col}_sd"] = values.std(ddof=1) if len(values) > 1 else None
            spread = [_spread(row[c], row[f"{c}_sd"]) for c in ("value", "value_b")
                      if row[f"{c}_sd"] is not None]  # fmt: skip
            row["ours"] = " and ".join(spread) + " (mean ± sd)" if spread else g["ours"].iloc[0]
            row["verdict"] = ", ".join(f"{v} {counts[v]}" for v in VERDICTS if v in counts)
            rows.append(pd.DataFrame([row]))
    out = pd.concat(rows, ignore_index=True)
    first = ["kind", "run", "n_runs", "claim", "where", "text", "paper", "ours", "verdict"]
    return out[first + [c for c in out.columns if c not in first]]
