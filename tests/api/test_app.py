"""The real app under uvicorn on loopback, over real HTTP."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from api.schemas import AskRequest
from api.settings import Settings


def test_health_and_ready(server: str) -> None:
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server}/readyz").json()
    assert ready["status"] == "ready" and ready["passages"] > 0


def test_ask_returns_the_schema(server: str) -> None:
    response = httpx.post(f"{server}/api/v1/ask", json={"question": "What is kratom?"})
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "answer"
    assert data["sentences"] and data["citations"]
    assert all(c["url"].startswith("http") for c in data["citations"])


def test_bad_input_is_a_clear_422(server: str) -> None:
    for body in ({"question": ""}, {"question": "   "}, {"question": "x" * 2001}, {}):
        response = httpx.post(f"{server}/api/v1/ask", json=body)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error["message"] and "Traceback" not in response.text


def test_unknown_path_is_404_in_the_surface_format(server: str) -> None:
    api = httpx.get(f"{server}/api/v1/nope")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "http_error"
    page = httpx.get(f"{server}/nope")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "There is no page here." in page.text


def test_the_question_limit_cannot_exceed_the_schema_ceiling() -> None:
    ceiling = next(m.max_length for m in AskRequest.model_fields["question"].metadata
                   if hasattr(m, "max_length"))
    assert Settings(max_question_chars=ceiling).max_question_chars == ceiling
    with pytest.raises(ValidationError, match="max_question_chars"):
        Settings(max_question_chars=ceiling + 1)
