"""Figures for teams and leaders (FIGURES.md): the disclosure engine, releases of closed periods,
the figure catalogue and their pages."""
