"""What the case worker registers after meetings: phone follow-ups, methods, re-openings (DESIGN.md G, H)."""
