"""Every setting the services read, as the table docs/operations.md carries."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_chassis.process.settings import KafkaSettings, MongoSettings, ServiceSettings
from mentornet_contracts import SERVICES
from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings

SHARED: tuple[type[BaseSettings], ...] = (KafkaSettings, MongoSettings, AuthSettings)
NESTED = {"kafka", "mongo", "auth"}
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


@dataclass(frozen=True)
class Setting:
    variable: str
    default: str
    description: str


def service_settings(service: str) -> type[ServiceSettings]:
    """The settings class a service's composition root reads."""
    module = importlib.import_module(f"mentornet_{service}.settings")
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
    ]
    if len(found) != 1:
        raise LookupError(f"mentornet_{service}.settings has {len(found)} settings classes")
    return found[0]


def settings_of(cls: type[BaseSettings]) -> Iterator[Setting]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    for name, field in cls.model_fields.items():
        if name in NESTED:
            continue
        yield Setting(f"{prefix}{name}".upper(), _shown(field.default), _description(cls, name))


def _description(cls: type[BaseModel], name: str) -> str:
    """An override of a field (a service's own default port) keeps the base's words."""
    for klass in cls.__mro__:
        fields = getattr(klass, "model_fields", {})
        if name in fields and fields[name].description:
            return str(fields[name].description)
    raise ValueError(f"{cls.__name__}.{name} has no description")


def _shown(default: object) -> str:
    if default is None:
        return "unset"
    if isinstance(default, SecretStr):
        return "(secret)"
    if isinstance(default, Enum):
        return str(default.value)
    if isinstance(default, list):
        return "[" + ",".join(str(v) for v in default) + "]"
    return str(default)


PLACEHOLDER = "MENTORNET_<SERVICE>_"


def common_settings() -> list[Setting]:
    """What every service reads under its own prefix (MENTORNET_INTAKE_LOG_LEVEL...)."""
    return [
        Setting(s.variable.replace("MENTORNET_", PLACEHOLDER, 1), s.default, s.description)
        for s in settings_of(ServiceSettings)
    ]


def own_settings(service: str) -> list[Setting]:
    """A service's own settings, and the common ones whose default it changes."""
    cls = service_settings(service)
    base = ServiceSettings.model_fields
    return [
        setting
        for name, setting in zip(_names(cls), settings_of(cls), strict=True)
        if name not in base or cls.model_fields[name].default != base[name].default
    ]


def _names(cls: type[BaseSettings]) -> list[str]:
    return [name for name in cls.model_fields if name not in NESTED]


def table_rows() -> list[tuple[str, list[Setting]]]:
    groups = [(f"Every service: {cls.__name__}", list(settings_of(cls))) for cls in SHARED]
    groups.append((f"Every service, under its own prefix {PLACEHOLDER}", common_settings()))
    groups += [(f"{service}", own_settings(service)) for service in sorted(SERVICES)]
    return groups


def variables_read() -> set[str]:
    """Every environment variable some service reads, spelled out per service."""
    names = {s.variable for cls in SHARED for s in settings_of(cls)}
    for service in SERVICES:
        names |= {s.variable for s in settings_of(service_settings(service))}
    return names


def markdown() -> str:
    lines = [BEGIN, ""]
    for title, settings in table_rows():
        lines += [f"#### {title}", "", "| variable | default | meaning |", "|---|---|---|"]
        lines += [f"| `{s.variable}` | `{s.default}` | {s.description} |" for s in settings]
        lines.append("")
    return "\n".join([*lines, END])


def with_table(document: str) -> str:
    """The operations guide with its settings section replaced by the current table."""
    head, sep, rest = document.partition(BEGIN)
    if not sep:
        raise ValueError(f"docs/operations.md has no {BEGIN} marker")
    _, sep, tail = rest.partition(END)
    if not sep:
        raise ValueError(f"docs/operations.md has no {END} marker")
    return head + markdown() + tail
