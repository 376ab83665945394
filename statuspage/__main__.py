"""`python -m statuspage` runs the CLI."""

from .cli import main

main()
