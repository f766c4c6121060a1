# Concept formation and repeated inference in VAEs: the reference workflow.
# Nagano, Karakida & Okada, "Concept Formation and Dynamics of Repeated
# Inference in Deep Generative Models". See README.md and docs/design.md.

import os
import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.19")

# The library in src/, for this process and (through PYTHONPATH) every job's script.
sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from vaeconcepts.config.validation import (
    ConfigError,
    check_duplicate_keys,
    export_library_path,
    validate_config,
)  # noqa: E402
from vaeconcepts.config import datadirs, recorded  # noqa: E402
from vaeconcepts.config.runs import run_config, run_names  # noqa: E402
from vaeconcepts.config.scale import scale_stamp, study_stamp  # noqa: E402

export_library_path()


configfile: Path(workflow.basedir) / "config.yaml"


report: "report/workflow.rst"


# A command without data_dir reads the directory results/ were made from, and says so
# (src/vaeconcepts/config/datadirs.py): a forgotten flag must not replan every job.
for line in datadirs.recall(config):
    print(f"vaeconcepts: {line}", file=sys.stderr)

try:
    check_duplicate_keys(*workflow.configfiles)
    config.update(validate_config(config, files=workflow.configfiles))
except ConfigError as err:
    raise WorkflowError(f"Invalid configuration: {err}")

# The report's captions are filled in from the config: refuse one of other settings than
# those results/ were made with (src/vaeconcepts/config/recorded.py).
if any(arg == "--report" or arg.startswith("--report=") for arg in sys.argv):
    if diffs := recorded.differences(config):
        raise WorkflowError(recorded.report_message(diffs))
    # The landing page (report/workflow.rst) says when the runs are not at the paper's scale.
    config["_scale"] = study_stamp(
        {run: scale_stamp(run_config(config, run)) for run in run_names(config)}
    )


onstart:
    # Before any job runs (a dataset job deletes its old output first): refuse a download
    # that cannot work, naming the setting that avoids it.
    downloads = {
        j.wildcards.dataset
        for j in workflow.dag.needrun_jobs()
        if j.rule.name == "dataset"
    }
    if problem := datadirs.download_problem(
        sorted(d for d in downloads if data_dir_of(d) is None)
    ):
        raise WorkflowError(problem)
    recorded.record(config, files=workflow.configfiles)
    datadirs.remember(config)


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/latents.smk"
include: "rules/noise.smk"
include: "rules/rollout.smk"
include: "rules/stats.smk"
include: "rules/classifier.smk"
include: "rules/dynamics.smk"
include: "rules/sweep.smk"
include: "rules/figures.smk"
include: "rules/claims.smk"


rule all:
    input:
        models=expand_models(),
        # Every figure but Fig. 7 (the sweep: `snakemake fig7`, see docs/science.md), per run.
        figures=run_expand(
            "results/runs/{run}/figures/{fig}.{ext}",
            fig=[f for f in FIGURES if f != "fig7"],
            ext=["png", "pdf"],
        ),
        tables=run_expand(
            "results/runs/{run}/stats/{table}.csv",
            table=[
                *("latent_summary", "min_distance", "onset", "claims"),
                *("nearest_memory", "attractor_summary", "clustering", "recall"),
                "stages_nz",
            ],
        ),
        study=rules.study.output,


rule models:
    input:
        expand_models(),


# One target per figure (fig1, fig2, ..., figB2): that figure of every run.
for fig in FIGURES:

    rule:
        name:
            fig
        input:
            run_expand(f"results/runs/{{run}}/figures/{fig}.png"),
            run_expand(f"results/runs/{{run}}/figures/{fig}.pdf"),
            run_expand("results/runs/{run}/stats/onset.csv") if fig == "fig6" else [],


# `snakemake fig9`: a target that is neither a rule nor a file of this workflow (whose
# files all lie in folders) is refused with the list of targets, before any job.
localrules:
    unknown_target,


rule unknown_target:
    input:
        lambda w: unknown_target(w.name),
    output:
        "{name}",
    wildcard_constraints:
        name=r"[A-Za-z0-9_.-]+",
