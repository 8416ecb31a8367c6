"""Stand-ins for absent case workers (issue 13)."""
