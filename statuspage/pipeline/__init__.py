"""The one pipeline: keys -> reuse or render -> the one writer (stage, journal, swap)."""
