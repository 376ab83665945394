"""statuspage: a status page generator for teams who keep incidents in git."""

__version__ = "0.1.0"
