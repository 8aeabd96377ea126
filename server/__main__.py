"""Run the server: `python -m server` (HOST, PORT, DATABASE_URL from the environment)."""

import sys

import uvicorn

from .settings import Settings
from .site.content import ContentError

# An idle connection is closed this long after its last answer.
KEEP_ALIVE_SECONDS = 5
# A request line and headers still incomplete past this many bytes are refused
# (400), so a connection holds at most about this much of a head (plus one read)
# in memory; a browser sends 1-2 KiB. h11 rather than httptools, which takes a
# megabyte of headers and whose limit cannot be set.
MAX_HEAD_BYTES = 16 * 1024


def main() -> int:
    """Check the content, then serve until stopped."""
    settings = Settings()
    from .app import create_app

    try:
        create_app(settings)  # fail fast, with a clear message, before uvicorn starts
    except ContentError as exc:
        print(f"Cannot start: invalid content: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
        server_header=False,  # no "server: uvicorn" on every answer: bytes, and a hint to attackers
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # uvicorn has no timeout for a request that is slow to arrive: a client
        # trickling its headers or body is the proxy's to cut (README, Deploying).
        http="h11",
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
