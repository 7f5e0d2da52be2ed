"""Which network addresses an outbound call may reach: one policy for a URL's host when it is saved and for
every address its name resolves to when it is called.

A host is read the way a resolver reads it, not the way `ipaddress` does: `getaddrinfo` hands a numeric
host to `inet_aton`, which takes one to four parts, each decimal, octal (a leading 0) or hex (0x), the last
part filling the remaining bytes. So `2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376` and `169.254.43518`
are all 169.254.169.254, and `127.1` is 127.0.0.1. An IPv6 address that carries an IPv4 one (mapped,
compatible, SIIT, NAT64, 6to4, Teredo) is judged by the IPv4 address it carries: that is where a gateway
on the path delivers it."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

_PART = re.compile(r"^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")
_SHARED = IPv4Network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598): inside a provider's network
_SIIT = IPv6Network("::ffff:0:0:0/96")  # IPv4-translated (RFC 2765)
_NAT64 = IPv6Network("64:ff9b::/96")  # well-known NAT64 prefix (RFC 6052): the gateway calls the IPv4
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215): never public
_COMPATIBLE = IPv6Network("::/96")  # IPv4-compatible (deprecated), `::a.b.c.d`


def inet_aton(text: str) -> IPv4Address | None:
    """The IPv4 address `inet_aton` (and so `getaddrinfo`) reads in `text`, or None if it reads none."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_PART.match(p) for p in parts):
        return None
    values = [int(p[2:], 16) if p[:2].lower() == "0x" else int(p, 8 if p[0] == "0" else 10) for p in parts]
    *leading, last = values
    if any(v > 0xFF for v in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    number = last
    for index, value in enumerate(leading):
        number |= value << (8 * (3 - index))
    return IPv4Address(number)


def ip_literal(host: str) -> IPAddress | None:
    """The address a host names by itself (any form a resolver accepts), or None for a name to look up."""
    text = host.strip().strip("[]").split("%", 1)[0]  # a bracketed IPv6, a zone id (`fe80::1%eth0`)
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]  # `127.0.0.1.`: refused as the address it spells, whatever a resolver does with it
    if ":" in text:
        try:
            return IPv6Address(text)
        except ValueError:
            return None
    return inet_aton(text)


def embedded_ipv4(address: IPv6Address) -> tuple[IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address carries (Teredo: its server and its client), if any."""
    if address.ipv4_mapped is not None:
        return (address.ipv4_mapped,)
    if address.teredo is not None:
        return address.teredo
    if address.sixtofour is not None:
        return (address.sixtofour,)
    low = IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64 or address in _SIIT:
        return (low,)
    if address in _COMPATIBLE and int(address) > 1:  # not :: nor ::1, which are IPv6's own
        return (low,)
    return ()


def refusal(address: IPAddress) -> str | None:
    """Why no call may go to the address (private, loopback, ...), or None when it is public."""
    if isinstance(address, IPv6Address):
        if address in _NAT64_LOCAL:
            return "a local NAT64 address"
        carried = embedded_ipv4(address)
        if carried:
            reasons = [reason for inner in carried if (reason := _refusal_of(inner))]
            return f"{reasons[0]} (inside {address})" if reasons else None
    return _refusal_of(address)


def _refusal_of(address: IPAddress) -> str | None:
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, IPv4Address) and address in _SHARED, "a shared (carrier-grade NAT) address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    return next((f"{reason} ({address})" for refused, reason in checks if refused), None)
