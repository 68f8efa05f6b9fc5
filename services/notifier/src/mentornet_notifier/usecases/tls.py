"""Apprise's SMTP client builds `ssl.create_default_context()` for every message, and
that loads the system's CA store each time: 26 ms of CPU per e-mail on the reference
machine, plain SMTP included (the local mail sink, a relay on the pod's network), which
made the notifier the second busiest process of a demo run.

`defer_ca_loading` gives Apprise's SMTP module a context that verifies exactly as the
default one does (TLS client, hostname checked, certificate required) but loads the CA
store only when a connection is actually wrapped in TLS, once per message as before. A
plain connection never pays for it."""

from __future__ import annotations

import ssl
from types import SimpleNamespace
from typing import Any

from apprise.plugins.email import smtp as apprise_smtp


class CertificatesOnWrap(ssl.SSLContext):
    """`ssl.create_default_context()` for a server's certificate, whose CA store is
    loaded by the first `wrap_socket` that verifies."""

    loaded = False

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        if self.verify_mode != ssl.CERT_NONE and not self.loaded:
            self.load_default_certs(ssl.Purpose.SERVER_AUTH)
            self.loaded = True
        return super().wrap_socket(*args, **kwargs)


def server_context() -> ssl.SSLContext:
    return CertificatesOnWrap(ssl.PROTOCOL_TLS_CLIENT)


def defer_ca_loading() -> None:
    """Idempotent; called when the e-mail channel is composed, never at import."""
    vars(apprise_smtp)["ssl"] = SimpleNamespace(
        create_default_context=server_context, CERT_NONE=ssl.CERT_NONE
    )
