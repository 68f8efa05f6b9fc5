"""The e-mail channel's TLS context: verifies as `ssl.create_default_context()` does, and
loads the CA store only when a connection is wrapped in TLS."""

from __future__ import annotations

import socket
import ssl

import pytest
from apprise.plugins.email import smtp as apprise_smtp
from mentornet_notifier.usecases.channels import EmailChannel
from mentornet_notifier.usecases.tls import server_context

pytestmark = pytest.mark.unit


def _cas(context: ssl.SSLContext) -> int:
    return int(context.cert_store_stats()["x509_ca"])


def test_the_context_checks_hostname_and_certificate_like_the_default_one() -> None:
    ours, default = server_context(), ssl.create_default_context()
    assert ours.check_hostname is default.check_hostname is True
    assert ours.verify_mode == default.verify_mode == ssl.CERT_REQUIRED
    assert ours.minimum_version == default.minimum_version


def test_the_ca_store_is_loaded_by_the_first_tls_wrap_and_not_before() -> None:
    context = server_context()
    assert _cas(context) == 0
    left, right = socket.socketpair()
    with left, right:
        wrapped = context.wrap_socket(
            left, server_hostname="relay.example", do_handshake_on_connect=False
        )
        wrapped.close()
    assert _cas(context) == _cas(ssl.create_default_context()) > 0


def test_an_unverified_context_never_loads_the_store() -> None:
    context = server_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    left, right = socket.socketpair()
    with left, right:
        context.wrap_socket(left, do_handshake_on_connect=False).close()
    assert _cas(context) == 0


def test_composing_the_email_channel_gives_apprise_the_deferred_context() -> None:
    EmailChannel("mailto://relay.example:25", "mentornet@example.org", 5.0)
    made = vars(apprise_smtp)["ssl"].create_default_context()
    assert made.verify_mode == ssl.CERT_REQUIRED
    assert _cas(made) == 0
