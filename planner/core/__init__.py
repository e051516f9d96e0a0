"""Frozen, typed dataclasses and error types shared by every layer (no Qt, no SQL)."""
