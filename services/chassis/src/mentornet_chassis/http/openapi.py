"""The OpenAPI document as clients see it: every operation documents MentorNet's error body.

FastAPI documents its own 422 shape; ours names the field and the reason (see http.py),
so the document is corrected here once for every service.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

FIELD_REASON = {
    "type": "object",
    "required": ["field", "reason"],
    "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
}
ERROR = {
    "title": "Error",
    "type": "object",
    "required": ["error", "field", "reason", "errors"],
    "properties": {
        "error": {"type": "string", "description": "What kind of error, e.g. validation_failed."},
        "field": {"type": "string", "description": "The first problem's field."},
        "reason": {"type": "string", "description": "The first problem's reason."},
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": FIELD_REASON,
            "description": "Every problem found, each naming its field and reason.",
        },
    },
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any string up to 200 characters: a repeat with the same key (and body) "
    "gets the first answer instead of running again.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
ERRORS = {
    "400": "The request body is not readable JSON.",
    "401": "No bearer token, or an invalid or expired one.",
    "403": "The caller's roles or ownership do not allow this (or a link's signature is wrong).",
    "404": "An id in the path or body names nothing (or nothing the caller may see).",
    "409": "Valid, but in conflict with the current state.",
    "413": "The request body is over the size limit.",
    "415": "The request body's media type is not accepted.",
    "422": "Invalid input: each error names the field and the reason.",
}
BEARER = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "A JWT from the deployment's identity provider (or `mentornet token` locally),"
    " naming the caller's roles and programs.",
}
LICENSE = {"name": "Apache-2.0", "identifier": "Apache-2.0"}
READS = frozenset({"get", "head", "options"})


def statuses(method: str, operation: dict[str, Any], path: str) -> list[str]:
    """The error statuses this operation can answer: 401 and 403 only where a token is
    asked for (a public signed link answers 403 to a bad signature); 400, 413 and 415
    only where a body is read; 404 where something is looked up (a path id, a body, a
    query); 409 only where state changes; 422 where there is input at all."""
    public = "public" in operation.get("x-mentornet-permission", {}).get("grants", [])
    body = "requestBody" in operation
    inputs = bool(operation.get("parameters")) or body or "{" in path
    found = [] if public else ["401", "403"]
    if public and inputs:
        found.append("403")
    if body:
        found += ["400", "413", "415"]
    if inputs:
        found += ["404", "422"]
    if method not in READS:
        found.append("409")
    return sorted(set(found))


def install(app: FastAPI, server_url: str | None = None) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, routes=app.routes, license_info=LICENSE
        )
        if server_url is not None:
            schema["servers"] = [
                {
                    "url": server_url,
                    "description": "The local stack (`make run`); a deployment serves the"
                    " API at its own address.",
                }
            ]
        components = schema.setdefault("components", {})
        components["securitySchemes"] = {"bearerAuth": BEARER}
        schemas = components.setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas["Error"] = ERROR
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                _document(path, method, operation)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document(path: str, method: str, operation: dict[str, Any]) -> None:
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if method == "post":
        operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    public = "public" in operation.get("x-mentornet-permission", {}).get("grants", [])
    operation["security"] = [] if public else [{"bearerAuth": []}]
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    for code in statuses(method, operation, path):
        responses[code] = {"description": ERRORS[code], "content": reference}
