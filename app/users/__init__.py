"""Staff accounts, kept by an administrator in the browser."""
