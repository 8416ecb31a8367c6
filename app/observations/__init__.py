"""Everyday observations from the network through standing, revocable links (DESIGN.md D)."""
