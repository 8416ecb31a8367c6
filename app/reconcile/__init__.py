"""Reconciliation: answers side by side, signals, divergence and the case worker's decision."""
