"""``python -m ankigen``: the same command line as ``ankigen``."""

from .cli import main

main(prog_name="ankigen")
