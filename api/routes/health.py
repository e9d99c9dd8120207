from __future__ import annotations

from fastapi import APIRouter, Request

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> dict[str, object]:
    """The index is loaded and the pipeline can answer."""
    from fastapi.responses import JSONResponse

    pipeline = request.app.state.pipeline
    if pipeline is None:
        return JSONResponse({"status": "loading"}, status_code=503)  # type: ignore[return-value]
    manifest = pipeline.store.manifest
    return {"status": "ready", "corpus_version": manifest.corpus_hash,
            "passages": manifest.passages, "model": manifest.model_name}
