# Concept formation and repeated inference in VAEs: the reference workflow.
# Nagano, Karakida & Okada, "Concept Formation and Dynamics of Repeated
# Inference in Deep Generative Models". See README.md and DESIGN.md.

import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.19")

# The library in src/, for this process and (through PYTHONPATH) every job's script.
sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from vaeconcepts.config import (
    ConfigError,
    export_library_path,
    validate_config,
)  # noqa: E402

export_library_path()


configfile: Path(workflow.basedir) / "config.yaml"


report: "report/workflow.rst"


try:
    config.update(validate_config(config))
except ConfigError as err:
    raise WorkflowError(f"Invalid configuration: {err}")


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/latents.smk"
include: "rules/noise.smk"
include: "rules/rollout.smk"
include: "rules/stats.smk"
include: "rules/figures.smk"
include: "rules/classifier.smk"
include: "rules/sweep.smk"
include: "rules/figures_nz.smk"


rule all:
    input:
        models=expand_models(),
        stats=rules.concept_curves.output,
        min_distance=rules.min_distance.output,
        latent_tables=rules.latent_tables.output,
        figures=expand(
            "results/figures/{fig}.{ext}",
            fig=["fig1", "fig2", "fig3", "fig4", "figA1"],
            ext=["png", "pdf"],
        ),
        # Fig. 7 (the sweep) is left out: `snakemake fig7`, see README.
        latent_size=[rules.onset_table.output, rules.plot_fig6.output],
        classifier=[
            rules.train_classifier.output,
            rules.classify_final_states.output,
            rules.plot_figB2.output,
        ],


rule models:
    input:
        expand_models(),


rule fig1:
    input:
        rules.plot_fig1.output,


rule fig2:
    input:
        rules.plot_fig2.output,


rule fig3:
    input:
        rules.plot_fig3.output,


rule fig4:
    input:
        rules.plot_fig4.output,


rule figA1:
    input:
        rules.plot_figA1.output,


rule fig6:
    input:
        rules.plot_fig6.output,
        rules.onset_table.output,


rule fig7:
    input:
        rules.plot_fig7.output,


rule figB2:
    input:
        rules.plot_figB2.output,
