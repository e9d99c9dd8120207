from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import PipelineDep
from api.schemas import AskRequest, Result

router = APIRouter(prefix="/api/v1", tags=["ask"])


@router.post("/ask", response_model=Result)
async def ask(body: AskRequest, pipeline: PipelineDep) -> Result:
    """Answer one question from the vetted corpus, or say why not."""
    return await run_in_threadpool(pipeline.answer, body.question, body.region)
