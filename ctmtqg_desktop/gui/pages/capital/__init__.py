"""The capital area."""
