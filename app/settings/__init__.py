"""The organisation's settings, kept in the database: see services.py."""
