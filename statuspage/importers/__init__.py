"""Importers that turn another status-page tool's files into a statuspage site."""
