"""SSRF: which addresses a webhook may reach, at save time and at connection time."""

from __future__ import annotations

import ipaddress

import pytest

from resolute.notifier.subscriptions import address_policy
from resolute.notifier.subscriptions.address_policy import (
    AddressPolicy,
    RefusedAddress,
    UnsafeWebhookUrl,
    is_public_address,
    parse_networks,
)

REFUSED = [
    "127.0.0.1",
    "127.255.0.9",
    "0.0.0.0",
    "10.0.0.1",
    "10.255.255.254",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "100.64.0.1",  # CGNAT
    "100.100.100.200",  # Alibaba metadata, inside CGNAT
    "224.0.0.1",  # multicast
    "255.255.255.255",
    "198.18.0.1",
    "::1",
    "::",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "ff02::1",
    "2001:db8::1",
]
PUBLIC = ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]


@pytest.mark.parametrize("address", REFUSED)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.1/",
        "http://10.200.3.4:8080/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "https://[fd00:ec2::254]/",
        "http://0.0.0.0:8000/",
        "http://localhost:9000/hook",  # a hostname that resolves to loopback
    ],
)
async def test_unsafe_urls_are_refused_when_saved(url: str) -> None:
    with pytest.raises(UnsafeWebhookUrl):
        await AddressPolicy().check_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/x", "http or https"),
        ("file:///etc/passwd", "http or https"),
        ("gopher://example.org/", "http or https"),
        ("http://user:pw@example.org/", "credentials"),
        ("http:///nohost", "no host"),
        ("http://example.org:99999/", "port"),
    ],
)
async def test_malformed_urls_are_refused_even_when_private_is_allowed(url: str, reason: str) -> None:
    with pytest.raises(UnsafeWebhookUrl, match=reason):
        await AddressPolicy(allow_private=True).check_url(url)


async def test_allow_private_or_an_allow_list_lifts_the_rule() -> None:
    await AddressPolicy(allow_private=True).check_url("http://127.0.0.1:9000/hook")
    allowed = AddressPolicy(allowed_networks=parse_networks(["10.20.0.0/16"]))
    await allowed.check_url("http://10.20.3.4/hook")
    assert allowed.permits(ipaddress.ip_address("::ffff:10.20.3.4"))  # the mapped form of an allowed address
    with pytest.raises(UnsafeWebhookUrl):
        await allowed.check_url("http://10.21.0.1/hook")


async def test_a_name_with_any_internal_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    async def resolve(host: str, port: int) -> list[address_policy.IPAddress]:
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.7")]

    monkeypatch.setattr(address_policy, "resolve_host", resolve)
    with pytest.raises(RefusedAddress, match=r"10\.0\.0\.7"):
        await AddressPolicy().addresses_for("mixed.example", 443)


async def test_a_name_that_does_not_resolve_is_refused_when_saved() -> None:
    with pytest.raises(UnsafeWebhookUrl, match="does not resolve"):
        await AddressPolicy().check_url("http://no-such-host.invalid/hook")
