"""The integration API, /api/v1 (issue 17): what a case system or an integration platform pulls and pushes.

keys.py holds the API keys (created and revoked by an administrator, stored only hashed);
problems.py the RFC 9457 problem documents every error under /api/v1 is answered with;
idempotency.py the Idempotency-Key header's stored replies; writes.py and reads.py translate the
API's JSON to and from the areas' own services (no business logic of their own); views.py is the
flask-smorest blueprint, key_views.py the administrator's pages for keys.
"""
