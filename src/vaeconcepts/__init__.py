"""Concept formation and repeated inference in VAEs (Nagano, Karakida & Okada 2019)."""

__version__ = "0.1.0"
