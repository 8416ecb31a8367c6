"""Static files named by their content: /static/respond.css?v=<hash>.

A page names each file with a hash of its content, so a phone may keep the file for a year
without asking again (on slow 3G every question costs a round trip of 400 ms, issue 18 item 5),
and a file that changed has a new address. Only the current version is kept long; any other
address of the file is served as before, asked about again each time.
"""

import hashlib
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    versions: dict[str, tuple[float, str]] = {}

    def version(filename: str) -> str | None:
        path = Path(app.static_folder or "") / filename
        try:
            changed = path.stat().st_mtime
        except OSError:
            return None
        known = versions.get(filename)
        if known is None or known[0] != changed:
            known = (changed, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            versions[filename] = known
        return known[1]

    @app.url_defaults
    def name_by_content(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            current = version(values["filename"])
            if current:
                values["v"] = current

    @app.after_request
    def keep_current_versions(response: Response) -> Response:
        if (request.endpoint == "static" and response.status_code == 200
                and request.args.get("v") and request.args.get("v") == version(request.view_args["filename"])):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
