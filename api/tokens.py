"""Short-lived widget tokens, signed with itsdangerous (no hand-rolled crypto).

A token names the partner and the host origin it was issued for; a chat request must carry
a valid, unexpired token for the partner it claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from api.errors import Forbidden
from api.i18n import N_

SALT = "clearpath-widget-v1"


@dataclass(frozen=True)
class Claims:
    partner: str
    origin: str


class TokenSigner:
    def __init__(self, secret: str, max_age: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.max_age = max_age

    def issue(self, partner: str, origin: str) -> str:
        return self._serializer.dumps({"p": partner, "o": origin})

    def verify(self, token: str, partner: str) -> Claims:
        try:
            data = self._serializer.loads(token, max_age=self.max_age)
        except SignatureExpired as exc:
            raise Forbidden(N_("This chat session has expired. Close the chat and open it again."),
                            code="token_expired") from exc
        except BadSignature as exc:
            raise Forbidden(N_("This chat session is not valid. Reload the page."),
                            code="token_invalid") from exc
        if not isinstance(data, dict) or data.get("p") != partner:
            raise Forbidden(N_("This chat session belongs to another site."),
                            code="token_partner")
        return Claims(partner=str(data["p"]), origin=str(data.get("o", "")))
