"""Retention: the purge of a closed case's personal data, and of the audit log's personal details."""
