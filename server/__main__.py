"""Run the server: `python -m server` (HOST, PORT, DATABASE_URL from the environment)."""

import sys

import uvicorn

from .settings import Settings
from .site.content import ContentError


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
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
