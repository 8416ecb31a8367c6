"""The administrator's audit log: search it, page through it, export a search as CSV (issue 12 item 13)."""
