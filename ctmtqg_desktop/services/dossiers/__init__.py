"""The dossiers area."""
