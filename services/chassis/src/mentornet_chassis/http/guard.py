"""Where the policy runs: a route class that authenticates and authorizes a request before
FastAPI reads, parses or validates its body, so a caller without the right learns
nothing about the body's schema (not even that it must be JSON).

Routers are made with `guarded_router()`; `create_http_app` refuses to build an app
holding a route that is not guarded or declares no permission.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from mentornet_chassis.errors import Forbidden, NotFound, Unauthorized
from mentornet_chassis.http.auth import Principal, TokenVerifier
from mentornet_chassis.http.policy import EXTENSION, Grant, Permission, Resource, decide, might_pass
from mentornet_chassis.store.identity import Enrolments

Resolver = Callable[[Mapping[str, str]], Awaitable[Resource | None]]
"""From a request's path parameters to what it acts on; None if that does not exist."""


class UndeclaredPermission(RuntimeError):
    pass


def permission_of(route: APIRoute) -> Permission | None:
    declared = (route.openapi_extra or {}).get(EXTENSION)
    return Permission.of(declared) if declared else None


@dataclass
class Guard:
    verifier: TokenVerifier | None
    resolvers: Mapping[str, Resolver]
    enrolments: Enrolments | None = None

    async def authenticate(self, request: Request) -> Principal:
        if self.verifier is None:
            raise Unauthorized("Authorization", "this process verifies no tokens")
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Authorization", "send a bearer token: Authorization: Bearer <jwt>")
        return await self.verifier.verify(token.strip())

    async def admit(self, permission: Permission, request: Request) -> Principal | None:
        """The caller, once allowed; raises 401, 403 or 404."""
        if Grant.PUBLIC in permission.grants:
            return None
        principal = await self.authenticate(request)
        if self.enrolments is not None:
            principal = replace(principal, enrolments=await self.enrolments(principal.subject))
        if not might_pass(permission, principal):
            raise Forbidden(
                "Authorization", f"{permission.name} is for: {', '.join(sorted(permission.grants))}"
            )
        resource = await self.resource(permission, request)
        refusal = decide(permission, principal, resource)
        if refusal is not None:
            raise refusal
        return principal

    async def resource(self, permission: Permission, request: Request) -> Resource | None:
        if permission.on is None:
            return None
        resolver = self.resolvers.get(permission.on)
        if resolver is None:
            raise UndeclaredPermission(f"no resolver for resource kind {permission.on!r}")
        found = await resolver(request.path_params)
        if found is None:
            field = f"{permission.on}_id"
            what = request.path_params.get(field, "")
            raise NotFound(field, f"no {permission.on} {what}".strip())
        return found


class GuardedRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        permission = permission_of(self)
        if permission is None:
            raise UndeclaredPermission(
                f"{sorted(self.methods or ())} {self.path} declares no permission"
            )

        async def guarded(request: Request) -> Response:
            guard: Guard = request.app.state.guard
            request.state.principal = await guard.admit(permission, request)
            return await handle(request)

        return guarded


def guarded_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=GuardedRoute, **kwargs)


def caller(request: Request) -> Principal:
    """FastAPI dependency: the caller the guard admitted (routes that are not public)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized("Authorization", "send a bearer token: Authorization: Bearer <jwt>")
    return principal


SignedIn = Annotated[Principal, Depends(caller)]
"""A route's parameter for the caller the guard admitted: `principal: SignedIn`."""


def routes_of(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, through included routers (FastAPI keeps an included router whole)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if isinstance(included, APIRouter):
            yield from routes_of(included.routes)
        else:
            yield route


def install(app: FastAPI, guard: Guard) -> None:
    for route in routes_of(app.routes):
        if isinstance(route, APIRoute) and not isinstance(route, GuardedRoute):
            raise UndeclaredPermission(f"{sorted(route.methods or ())} {route.path} is not guarded")
    app.state.guard = guard
