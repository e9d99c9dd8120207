"""A Spanish passage's link opens its document page; the sources list names Spanish documents."""

from __future__ import annotations

import httpx


def test_a_spanish_answer_links_to_its_document_page(server: str) -> None:
    answer = httpx.post(f"{server}/api/v1/ask", json={"question": "¿El kratom daña el hígado?"})
    assert answer.status_code == 200
    passage = answer.json()["passages"][0]
    assert passage["lang"] == "es" and passage["doc_id"] == "es-kratom-higado"
    page = httpx.get(f"{server}{passage['url'].split('#')[0]}")
    assert page.status_code == 200
    assert passage["text"] in page.text
    listed = httpx.get(f"{server}/api/v1/sources").json()["data"]
    assert any(d["doc_id"] == "es-kratom-higado" for s in listed for d in s["documents"])
