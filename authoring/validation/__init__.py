"""Checks of values against the rules of the standard."""
