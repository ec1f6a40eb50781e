"""The difficulties area."""
