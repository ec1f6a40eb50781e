"""The parent area."""
