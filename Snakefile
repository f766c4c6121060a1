# Concept formation and repeated inference in VAEs: the reference workflow.
# Nagano, Karakida & Okada, "Concept Formation and Dynamics of Repeated
# Inference in Deep Generative Models". See README.md and DESIGN.md.

import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.19")

sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from vaeconcepts.config import ConfigError, validate_config  # noqa: E402


configfile: Path(workflow.basedir) / "config.yaml"


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


rule all:
    input:
        models=expand_models(),


rule models:
    input:
        expand_models(),
