"""`python -m vaeconcepts`: the same as the `vaeconcepts` command (cli.py)."""

from vaeconcepts.cli import main

main()
