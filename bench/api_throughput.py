"""GET /api/v1/routine against a bare Starlette route sending the same bytes.

Both apps are called in-process through ASGI, so the figure is the cost of our
stack (middleware, routing, ETag and gzip negotiation) and not of a socket or
an HTTP client. Rounds alternate between the two apps; medians are reported.
"""

import asyncio
import statistics
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.app import create_app
from server.settings import Settings

REQUESTS_PER_ROUND = 2000
ROUNDS = 7


def bare_app(body: bytes, gzipped: bytes, etag: str) -> Starlette:
    async def routine(request: Request) -> Response:
        return Response(
            gzipped,
            media_type="application/json",
            headers={"ETag": etag, "Content-Encoding": "gzip"},
        )

    return Starlette(routes=[Route("/api/v1/routine", routine)])


def scope_for(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept-encoding", b"gzip, br")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def one_round(app: Any, count: int) -> float:
    scope = scope_for("/api/v1/routine")
    sent: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent.append(message["status"])

    start = time.perf_counter()
    for _ in range(count):
        await app(dict(scope), receive, send)
    elapsed = time.perf_counter() - start
    if set(sent) != {200}:
        raise RuntimeError(f"benchmark answers were not all 200: {set(sent)}")
    return count / elapsed


async def measure() -> dict[str, float]:
    ours = create_app(Settings(database_url="sqlite://"))
    encoded = ours.state.content.routine_json
    bare = bare_app(encoded.body, encoded.gzipped, encoded.etag)
    # Warm both up (route compilation, first-call caches).
    await one_round(ours, 200)
    await one_round(bare, 200)
    ours_rps, bare_rps = [], []
    for _ in range(ROUNDS):
        ours_rps.append(await one_round(ours, REQUESTS_PER_ROUND))
        bare_rps.append(await one_round(bare, REQUESTS_PER_ROUND))
    ours_median = statistics.median(ours_rps)
    bare_median = statistics.median(bare_rps)
    return {"ours_rps": ours_median, "bare_rps": bare_median, "ratio": bare_median / ours_median}


def run() -> dict[str, float]:
    result = asyncio.run(measure())
    print(
        f"GET /api/v1/routine in-process: ours {result['ours_rps']:,.0f} req/s, "
        f"bare Starlette {result['bare_rps']:,.0f} req/s, "
        f"bare/ours = {result['ratio']:.2f}x (budget: at most 2x)"
    )
    return result
