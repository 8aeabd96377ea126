"""Lighthouse 12 (mobile: a slow 4G network and the CPU slowed 4x) on each page.

Lighthouse comes from npm, not from the project: `npx` fetches it into its cache
the first time (`LIGHTHOUSE` names another command). Each page is scored
`ROUNDS` times on a fresh server and the median is kept, since one noisy run on
a busy machine moves the performance score by several points.

    python -m bench.lighthouse            # all five pages
    BENCH_PAGES=/,/workout python -m bench.lighthouse
"""

import json
import os
import shlex
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.browser.conftest import CHROMIUM
from tests.live import live_server

PAGES = ["/", "/workout", "/history", "/settings", "/summary"]
CATEGORIES = ["performance", "accessibility", "best-practices"]
METRICS = [
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
COMMAND = shlex.split(os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@12.8.2"))


def score(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run: the category scores (0 to 100) and the metric values."""
    for attempt in (1, 2):  # headless Chrome now and then fails to start: once more
        done = subprocess.run(
            [
                *COMMAND,
                url,
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox",
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                f"--output-path={out}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            timeout=300,
        )
        if done.returncode == 0:
            break
        if attempt == 2:
            raise RuntimeError(f"Lighthouse failed on {url}: {done.stderr.decode()[-2000:]}")
    report = json.loads(out.read_text())
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    metrics = {name: report["audits"][name]["numericValue"] for name in METRICS}
    failing = [
        name
        for name, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    return {"scores": scores, "metrics": metrics, "failing": failing}


def run() -> dict[str, dict[str, Any]]:
    pages = os.environ.get("BENCH_PAGES", ",".join(PAGES)).split(",")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "bench.db") as base:
        for path in pages:
            runs = [score(base + path, Path(tmp) / "report.json") for _ in range(ROUNDS)]
            median = {
                name: statistics.median(r["scores"][name] for r in runs) for name in CATEGORIES
            }
            metrics = {
                name: statistics.median(r["metrics"][name] for r in runs) for name in METRICS
            }
            failing = sorted({name for r in runs for name in r["failing"]})
            results[path] = {"scores": median, "metrics": metrics, "failing": failing}
            print(
                f"Lighthouse {path}: "
                + ", ".join(f"{name} {median[name]:.0f}" for name in CATEGORIES)
                + f" (median of {ROUNDS}; FCP {metrics['first-contentful-paint']:.0f} ms, "
                f"LCP {metrics['largest-contentful-paint']:.0f} ms, "
                f"TBT {metrics['total-blocking-time']:.0f} ms, "
                f"CLS {metrics['cumulative-layout-shift']:.3f})"
                + (f"; below 0.9 in a run: {', '.join(failing)}" if failing else "")
            )
    return results


if __name__ == "__main__":
    run()
