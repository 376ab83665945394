"""Helpers shared between test modules; fixtures shared between them are in tests/conftest.py.

Test modules import from here, never from one another (tests/test_ci.py checks).
"""
