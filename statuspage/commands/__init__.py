"""The `statuspage` command line: the only code that reads the clock, prints or exits."""
