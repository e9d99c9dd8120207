"""The client address used for rate limits, from the connection and trusted proxies only.

By default no proxy is trusted: the address is the TCP peer and `X-Forwarded-For` is ignored,
so no header can buy a fresh limit. With `CLEARPATH_FORWARDED_ALLOW_IPS` naming the proxies
(addresses or networks), the client is the right-most `X-Forwarded-For` entry that is not one
of them: a proxy appends the address it saw, so everything left of it was written by the
client and may be invented. Uvicorn's own proxy-header handling is switched off
(`proxy_headers=False` in `clearpath serve`) so this is the only place that reads the header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(value: str) -> tuple[Network, ...]:
    """'127.0.0.1, 10.0.0.0/8, ::1' -> networks; ValueError naming a bad entry."""
    networks: list[Network] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"{item!r} is not an IP address or network (like 10.0.0.0/8); "
                             "'*' is not accepted: name the proxies") from exc
    return tuple(networks)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: str | None, trusted: Iterable[Network]) -> bool:
    ip = _ip(address or "")
    return ip is not None and any(ip in net for net in trusted)


def client_address(peer: str | None, forwarded_for: Iterable[str],
                   trusted: tuple[Network, ...]) -> str:
    """The address to count requests by (at most 64 characters)."""
    if not peer:
        return "unknown"
    if not trusted or not is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            ip = _ip(hop)
            return str(ip) if ip is not None else hop[:64]
    # Only trusted proxies in the chain: the left-most is where it started.
    return hops[0][:64] if hops else peer
