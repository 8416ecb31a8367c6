"""/api/v1's OpenAPI document and a readable page of it, served without any third-party script."""

from flask import Blueprint, current_app, render_template

from app.api import spec
from app.api.problems import KINDS

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
METHODS = ("get", "put", "post", "patch", "delete")


@bp.route("/openapi.json")
def openapi_json():
    return current_app.response_class(current_app.json.dumps(spec.document()), mimetype="application/json")


@bp.route("/docs")
def docs():
    document = spec.document()
    operations = [{"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                   "description": operation.get("description", ""),
                   "statuses": sorted(operation.get("responses", {}))}
                  for path, item in document.get("paths", {}).items()
                  for method, operation in item.items() if method in METHODS]
    return render_template("api/docs.html", document=document, operations=operations, problems=KINDS.values())
