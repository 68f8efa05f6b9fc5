"""Every JSON request body in the services' OpenAPI documents has an example, and each
example is one the service takes: its schema in the document and the route's pydantic
model both accept it. The documents are built as tests/test_api_docs.py builds them
(that test holds docs/api/*.json to the same build)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from jsonschema import Draft202012Validator
from mentornet_chassis.http.guard import routes_of
from mentornet_contracts import SERVICES
from mentornet_contracts.bounds import resolve
from mentornet_tooling.apidocs import http_app
from pydantic import BaseModel, TypeAdapter, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

pytestmark = pytest.mark.unit
JSON = "application/json"
Schema = dict[str, Any]


@dataclass(frozen=True)
class Body:
    """One operation's JSON request body: its schema (and where the document holds it),
    the examples documented for it and the type its route validates it as."""

    label: str
    pointer: str
    schema: Schema
    examples: list[Any]
    annotation: Any


@dataclass(frozen=True)
class Api:
    service: str
    document: Schema
    bodies: list[Body]


def _escaped(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _examples(media: Schema, document: Schema) -> list[Any]:
    """On the media type (`example`, `examples`), then on the body's schema."""
    found = [media["example"]] if "example" in media else []
    found += [e["value"] for e in media.get("examples", {}).values() if "value" in e]
    return found + list(resolve(media["schema"], document).get("examples", []))


def _annotations(app: FastAPI) -> dict[tuple[str, str], Any]:
    """(method, path) to the type of the body the route validates."""
    return {
        (method.lower(), route.path): route.body_field.field_info.annotation
        for route in routes_of(app.routes)
        if isinstance(route, APIRoute) and route.body_field is not None
        for method in route.methods or ()
    }


def _json_bodies(document: Schema) -> Iterator[tuple[str, str, Schema]]:
    """(path, method, media type) of every operation taking a JSON body."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content") or {}
            if JSON in content:
                yield path, method, content[JSON]


def _pointer(path: str, method: str) -> str:
    tokens = ("paths", path, method, "requestBody", "content", JSON, "schema")
    return "".join(f"/{_escaped(token)}" for token in tokens)


@cache
def api(service: str) -> Api:
    app = http_app(service)
    document: Schema = app.openapi()
    annotations = _annotations(app)
    bodies = [
        Body(
            label=f"{method.upper()} {path}",
            pointer=_pointer(path, method),
            schema=media["schema"],
            examples=_examples(media, document),
            annotation=annotations.get((method, path)),
        )
        for path, method, media in _json_bodies(document)
    ]
    return Api(service, document, bodies)


def schema_errors(served: Api, body: Body, instance: Any) -> list[str]:
    """Draft 2020-12, with the whole document there for the body's `$ref`s."""
    uri = f"https://mentornet.example.org/api/{served.service}.json"
    registry: Registry[Any] = Registry().with_resource(
        uri, DRAFT202012.create_resource(served.document)
    )
    validator = Draft202012Validator(
        {"$ref": f"{uri}#{body.pointer}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [error.message for error in validator.iter_errors(instance)]


def model_errors(body: Body, instance: Any) -> list[str]:
    """What the route's own model (or, for an optional body, its type) says of it."""
    try:
        if isinstance(body.annotation, type) and issubclass(body.annotation, BaseModel):
            body.annotation.model_validate(instance)
        else:
            TypeAdapter(body.annotation).validate_python(instance)
    except ValidationError as exc:
        return [str(error["msg"]) for error in exc.errors()]
    return []


def broken(example: dict[str, Any], body: Body, document: Schema) -> dict[str, Any]:
    """The example without its first required property or, where nothing is required,
    with a property the body does not declare."""
    required = resolve(body.schema, document).get("required") or []
    if required:
        return {name: value for name, value in example.items() if name != required[0]}
    return {**example, "undeclared": True}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_json_request_body_documents_an_example(service: str) -> None:
    bodies = api(service).bodies
    assert bodies, f"{service} takes no JSON body"
    assert [body.label for body in bodies if not body.examples] == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_request_body_example_is_valid_against_its_openapi_schema(service: str) -> None:
    served = api(service)
    invalid = [
        f"{body.label} example {n}: {error}"
        for body in served.bodies
        for n, example in enumerate(body.examples)
        for error in schema_errors(served, body, example)
    ]
    assert invalid == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_request_body_example_is_accepted_by_its_routes_pydantic_model(
    service: str,
) -> None:
    bodies = api(service).bodies
    assert [body.label for body in bodies if body.annotation is None] == []
    refused = [
        f"{body.label} example {n}: {error}"
        for body in bodies
        for n, example in enumerate(body.examples)
        for error in model_errors(body, example)
    ]
    assert refused == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_broken_example_is_rejected_by_both_the_schema_and_the_model(service: str) -> None:
    """The checks above can fail: each body's first example without a required property
    (or with an undeclared one) is refused by both."""
    served = api(service)
    accepted: list[str] = []
    for body in served.bodies:
        if not body.examples:
            continue
        bad = broken(body.examples[0], body, served.document)
        if not schema_errors(served, body, bad):
            accepted.append(f"{body.label}: the schema accepts {bad}")
        if not model_errors(body, bad):
            accepted.append(f"{body.label}: the model accepts {bad}")
    assert accepted == []
