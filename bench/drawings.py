"""The size of every exercise drawing as stored: web/static/js/workout/poses.js draws them
all from pose descriptions, and the home page's cards are files drawn by it."""

from server.settings import ROOT

BUDGET = 40 * 1024
DRAWINGS = [
    ROOT / "web" / "static" / "js" / "workout" / "poses.js",
    *sorted((ROOT / "web" / "static" / "img" / "exercises").glob("*.svg")),
]


def run() -> int:
    size = sum(path.stat().st_size for path in DRAWINGS)
    print(
        f"Drawings of every exercise and variation (poses.js and {len(DRAWINGS) - 1} card "
        f"files, stored): {size / 1024:.1f} KiB (budget {BUDGET // 1024} KiB)"
    )
    return size
