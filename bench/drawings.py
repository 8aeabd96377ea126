"""The size of every exercise drawing as stored: web/static/js/workout/ draws them all
from pose descriptions (figures.js, poses.js, pose-svg.js), and the home page's cards
are files drawn by it."""

from server.settings import ROOT

BUDGET = 40 * 1024
CODE = ["figures.js", "poses.js", "pose-svg.js"]
DRAWINGS = [
    *(ROOT / "web" / "static" / "js" / "workout" / name for name in CODE),
    *sorted((ROOT / "web" / "static" / "img" / "exercises").glob("*.svg")),
]


def run() -> int:
    size = sum(path.stat().st_size for path in DRAWINGS)
    print(
        f"Drawings of every exercise and variation ({', '.join(CODE)} and "
        f"{len(DRAWINGS) - len(CODE)} card files, stored): {size / 1024:.1f} KiB "
        f"(budget {BUDGET // 1024} KiB)"
    )
    return size
