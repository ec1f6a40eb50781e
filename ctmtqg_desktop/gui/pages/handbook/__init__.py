"""The handbook area."""
