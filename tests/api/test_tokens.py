"""api/tokens.py: widget tokens are bound to their partner and origin, expire and cannot be
forged."""

from __future__ import annotations

import time

import pytest

from api.errors import Forbidden
from api.tokens import TokenSigner


def test_a_token_proves_its_partner_and_origin() -> None:
    signer = TokenSigner("a-long-test-secret", max_age=60)
    claims = signer.verify(signer.issue("demo", "https://clinic.example"), "demo")
    assert (claims.partner, claims.origin) == ("demo", "https://clinic.example")


def test_a_token_for_another_partner_is_refused() -> None:
    signer = TokenSigner("a-long-test-secret", max_age=60)
    with pytest.raises(Forbidden) as info:
        signer.verify(signer.issue("demo", "https://clinic.example"), "other")
    assert info.value.code == "token_partner"


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
    lambda t: "x" + t,  # payload changed
    lambda t: "",
])
def test_a_changed_token_is_refused(mangle: object) -> None:
    signer = TokenSigner("a-long-test-secret", max_age=60)
    token = mangle(signer.issue("demo", "https://clinic.example"))  # type: ignore[operator]
    with pytest.raises(Forbidden) as info:
        signer.verify(token, "demo")
    assert info.value.code == "token_invalid"


def test_another_secret_cannot_issue_tokens() -> None:
    ours, theirs = TokenSigner("our-secret", 60), TokenSigner("their-secret", 60)
    with pytest.raises(Forbidden):
        ours.verify(theirs.issue("demo", "https://clinic.example"), "demo")


def test_tokens_expire() -> None:
    signer = TokenSigner("a-long-test-secret", max_age=1)
    token = signer.issue("demo", "https://clinic.example")
    time.sleep(2.1)
    with pytest.raises(Forbidden) as info:
        signer.verify(token, "demo")
    assert info.value.code == "token_expired"
