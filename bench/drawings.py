"""The size of every exercise drawing: they are drawn by web/static/js/poses.js
from pose descriptions, so that file is all the drawings weigh, as stored."""

from server.settings import ROOT

BUDGET = 40 * 1024
DRAWINGS = ROOT / "web" / "static" / "js" / "poses.js"


def run() -> int:
    size = DRAWINGS.stat().st_size
    print(
        f"Drawings of every exercise and variation (poses.js, stored): {size / 1024:.1f} KiB "
        f"(budget {BUDGET // 1024} KiB)"
    )
    return size
