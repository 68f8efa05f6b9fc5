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
    "401": "No bearer token, or an invalid or expired one.",
    "403": "The caller's roles or ownership do not allow this.",
    "404": "An id in the path names nothing.",
    "409": "Valid, but in conflict with the current state.",
    "413": "The request body is over the size limit.",
    "415": "The request body's media type is not accepted.",
    "422": "Invalid input: each error names the field and the reason.",
}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        components["Error"] = ERROR
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if method == "post":
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                responses = operation.setdefault("responses", {})
                for code, text in ERRORS.items():
                    responses[code] = {"description": text, "content": reference}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
