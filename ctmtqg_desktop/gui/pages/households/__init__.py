"""The households area."""
