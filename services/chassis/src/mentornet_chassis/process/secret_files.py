"""Settings from files: `NAME_FILE=/path` gives the setting NAME the file's contents.

Kubernetes mounts secrets as files (a secret in an environment variable shows in
`kubectl describe`, crash dumps and child processes); the manifests set
`MONGODB_URI_FILE`, `KAFKA_SASL_PASSWORD_FILE` and the services' keys this way. Any
setting can be given so, the usual convention of container images. One trailing newline
(what `kubectl create secret --from-file` and editors leave) is dropped."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from pathlib import Path

from pydantic_settings import BaseSettings

SUFFIX = "_FILE"


class SecretFileError(ValueError):
    """A `_FILE` variable that cannot be used, naming it and why."""


def env_names(cls: type[BaseSettings]) -> Iterator[str]:
    """The environment variable of every setting of `cls`, nested settings included."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    for field_name, field in cls.model_fields.items():
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseSettings):
            yield from env_names(nested)
        else:
            yield (prefix + field_name).upper()


def read_secret_files(cls: type[BaseSettings], environ: MutableMapping[str, str]) -> list[str]:
    """Set each setting whose `_FILE` variable is given from its file; the names set."""
    done = []
    for name in env_names(cls):
        path = environ.get(name + SUFFIX)
        if not path:
            continue
        if environ.get(name):
            raise SecretFileError(f"{name} and {name}{SUFFIX} are both set: set one")
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise SecretFileError(f"{name}{SUFFIX}: cannot read {path}: {reason}") from None
        environ[name] = text[:-1] if text.endswith("\n") else text
        done.append(name)
    return done
