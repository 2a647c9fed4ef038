"""Importers: each reads one encoding of the standard into the normalized representation."""
