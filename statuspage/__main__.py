"""`python -m statuspage` runs the CLI."""

from statuspage.commands.main import main

main()
