"""A staff user's own account: their password and their two-factor login ("Min konto")."""
