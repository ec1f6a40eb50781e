"""The villages area."""
