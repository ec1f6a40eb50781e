"""The workspace area."""
