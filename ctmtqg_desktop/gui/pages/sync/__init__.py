"""The sync area."""
