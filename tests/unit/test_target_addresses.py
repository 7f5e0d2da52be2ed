"""The one address policy for outbound calls (webhooks, connectors): every form a resolver reads as an
address, every IPv6 form that carries an IPv4 address, and every kind of address that is not public.
The same TargetPolicy answers when a subscription is saved and when each delivery is made."""

from __future__ import annotations

import contextlib
import socket
from ipaddress import IPv4Address, IPv6Address

import pytest

from commerce.domain.addresses import embedded_ipv4, inet_aton, ip_literal, refusal
from commerce.domain.errors import ValidationFailed
from commerce.domain.webhooks import TargetPolicy

METADATA = IPv4Address("169.254.169.254")

# (how the host is written, the address a resolver reads in it)
INET_ATON_FORMS = [
    ("169.254.169.254", METADATA),
    ("0xa9fea9fe", METADATA),
    ("0XA9FEA9FE", METADATA),
    ("2852039166", METADATA),
    ("0251.0376.0251.0376", METADATA),
    ("0xa9.0xfe.0xa9.0xfe", METADATA),
    ("169.254.43518", METADATA),
    ("169.16689662", METADATA),
    ("0251.0xfe.43518", METADATA),
    ("127.1", IPv4Address("127.0.0.1")),
    ("127.0.1", IPv4Address("127.0.0.1")),
    ("0", IPv4Address(0)),
    ("0x7f000001", IPv4Address("127.0.0.1")),
    ("017700000001", IPv4Address("127.0.0.1")),
    ("10.1", IPv4Address("10.0.0.1")),
]


@pytest.mark.parametrize(("host", "address"), INET_ATON_FORMS)
def test_a_host_is_read_as_the_address_inet_aton_reads_in_it(host: str, address: IPv4Address) -> None:
    assert inet_aton(host) == address
    assert IPv4Address(socket.inet_aton(host)) == address  # the C library agrees


@pytest.mark.parametrize(
    "name", ["hooks.example.com", "1.2.3.4.example.com", "08", "0x", "256.1.1.1", "1.2.3.4.5", "1..2", "0xg1"]
)
def test_a_name_that_is_no_address_is_left_to_the_resolver(name: str) -> None:
    expected = None
    with contextlib.suppress(OSError):
        expected = IPv4Address(socket.inet_aton(name))
    assert inet_aton(name) == expected


# (an IPv6 form, the IPv4 addresses it carries)
EMBEDDING_FORMS = [
    ("::ffff:169.254.169.254", (METADATA,)),  # IPv4-mapped
    ("::ffff:a9fe:a9fe", (METADATA,)),
    ("::169.254.169.254", (METADATA,)),  # IPv4-compatible (deprecated)
    ("::ffff:0:a9fe:a9fe", (METADATA,)),  # SIIT, IPv4-translated
    ("64:ff9b::a9fe:a9fe", (METADATA,)),  # NAT64, well-known prefix
    ("64:ff9b::127.0.0.1", (IPv4Address("127.0.0.1"),)),
    ("2002:a9fe:a9fe::1", (METADATA,)),  # 6to4
    ("2002:0a00:0001::", (IPv4Address("10.0.0.1"),)),
    # Teredo: the server, then the client (stored inverted: ~0x7f000001)
    ("2001:0:a9fe:a9fe::80ff:fffe", (METADATA, IPv4Address("127.0.0.1"))),
]


@pytest.mark.parametrize(("form", "carried"), EMBEDDING_FORMS)
def test_an_ipv6_form_is_judged_by_the_ipv4_address_it_carries(
    form: str, carried: tuple[IPv4Address, ...]
) -> None:
    address = ip_literal(form)
    assert isinstance(address, IPv6Address)
    assert embedded_ipv4(address) == carried
    assert refusal(address) is not None
    with pytest.raises(ValidationFailed):
        TargetPolicy().check_url(f"https://[{form}]/hook")
    with pytest.raises(ValidationFailed):
        TargetPolicy().check_addresses([form])


REFUSED = [
    ("10.0.0.7", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("0.0.0.0", "unspecified"),  # noqa: S104 - an address refused, not bound
    ("192.0.2.1", "private"),  # documentation (TEST-NET-1)
    ("198.18.0.1", "private"),  # benchmarking
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("ff02::1", "multicast"),
    ("64:ff9b:1::a9fe:a9fe", "local NAT64"),
    ("2001:db8::1", "private"),  # documentation
    ("::ffff:10.0.0.1", "private"),
    ("64:ff9b::100.64.0.1", "carrier-grade NAT"),
    ("2002:e000:0001::", "multicast"),  # 6to4 of 224.0.0.1
]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_every_address_that_is_not_public_is_refused_naming_what_it_is(address: str, kind: str) -> None:
    found = ip_literal(address)
    assert found is not None
    reason = refusal(found)
    assert reason is not None and kind in reason


@pytest.mark.parametrize(
    "address",
    [
        "93.184.215.14",
        "8.8.8.8",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_a_public_address_is_allowed_in_any_of_its_forms(address: str) -> None:
    found = ip_literal(address)
    assert found is not None and refusal(found) is None
    TargetPolicy().check_addresses([address])


@pytest.mark.parametrize(
    "url",
    [
        "https://0xa9fea9fe/latest/meta-data",
        "https://2852039166/",
        "https://0251.0376.0251.0376/",
        "https://169.254.43518/",
        "https://127.1/",
        "https://0/",
        "https://127.0.0.1./",
        "https://[::ffff:a9fe:a9fe]/",
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://[2002:a9fe:a9fe::1]/",
        "https://[2001:0:a9fe:a9fe::80ff:fffe]/",
        "https://[fe80::1%25eth0]/",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://100.64.0.1/",
    ],
)
def test_a_subscription_to_a_url_that_spells_a_private_address_is_refused_when_saved(url: str) -> None:
    with pytest.raises(ValidationFailed):
        TargetPolicy().check_url(url)


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/in", "https://8.8.8.8/in", "https://[2606:4700::1111]/"]
)
def test_a_subscription_to_a_public_https_url_is_accepted(url: str) -> None:
    TargetPolicy().check_url(url)


def test_the_local_stacks_allowance_is_loopback_and_nothing_else() -> None:
    local = TargetPolicy(allow_loopback=True)
    for url in (
        "http://127.0.0.1:3005/demo",
        "http://localhost:3005/demo",
        "http://[::1]:3005/",
        "http://127.1:3005/",
    ):
        local.check_url(url)
    local.check_addresses(["127.0.0.1", "::1"])
    for url in (
        "http://169.254.169.254/",
        "https://0xa9fea9fe/",
        "https://10.0.0.1/",
        "https://100.64.0.1/",
    ):
        with pytest.raises(ValidationFailed):
            local.check_url(url)
    for address in ("10.1.2.3", "169.254.169.254", "::ffff:169.254.169.254", "fd00::1"):
        with pytest.raises(ValidationFailed):
            local.check_addresses([address])


def test_production_refuses_loopback_in_every_form() -> None:
    for url in ("https://127.0.0.1/", "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://0x7f.1/"):
        with pytest.raises(ValidationFailed):
            TargetPolicy().check_url(url)
