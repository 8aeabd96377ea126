"""Liveness and readiness probes."""

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from .db import database_answers
from .errors import ApiError, error_responses
from .state import state

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Answer while the process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=error_responses(503))
async def readyz(request: Request) -> Health:
    """Answer 200 only while the database answers."""
    schema = state(request).schema
    if not await run_in_threadpool(schema.ensure) or not await run_in_threadpool(
        database_answers, state(request).engine
    ):
        raise ApiError(503, "database_unavailable", "The database does not answer.")
    return Health(status="ok")
