"""Bundles: format, signing and encryption, export and import."""
