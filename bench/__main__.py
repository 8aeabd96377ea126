"""Run every benchmark: `python -m bench` (or `make bench`)."""

import sys
import warnings

# Starlette's TestClient nudges towards httpx2; our stack is httpx.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from bench import (  # noqa: E402
    api_throughput,
    drawings,
    export_speed,
    history_scale,
    layout_shift,
    offline,
    page_weight,
    scale_out,
    sync_throughput,
)


def main() -> int:
    weight = page_weight.run()
    drawn = drawings.run()
    speed = api_throughput.run()
    cached = offline.run()
    shifts = layout_shift.run()
    sync_throughput.run()
    exported = export_speed.run()
    scale_out.run()
    history = history_scale.run()
    over = []
    if weight["counted"] > page_weight.BUDGET:
        over.append("first view of / is over 40 KiB")
    if weight["other"]:
        over.append("the page called another origin")
    if speed["ratio"] > 2:
        over.append("GET /api/v1/routine is slower than half a bare Starlette route")
    if cached["size"]["plain"] > offline.BUDGET:
        over.append("the precache is over 400 KiB")
    for path, cls in shifts.items():
        if cls > 0:
            over.append(f"{path} shifts its layout while it loads (CLS {cls:.3f})")
    if drawn > drawings.BUDGET:
        over.append("the drawings are over 40 KiB")
    for kind in ("csv", "json"):
        if exported[kind] > 1000:
            over.append(f"the {kind.upper()} export of 5,000 sessions takes over a second")
    small, large = history["smallest"], history["largest"]
    for path, ratio in history["ratio"].items():
        if ratio is not None and ratio > 2:
            over.append(
                f"{path} does {ratio:.1f}x the main-thread work with {large:,} sessions "
                f"as with {small:,} (budget: 2x)"
            )
    for path, heap in history["heap_mib"].items():
        if heap is not None and heap > 200:
            over.append(f"{path} uses {heap:.0f} MiB of JS heap with {large:,} sessions")
    for count, imported in history["import"].items():
        if (imported.get("longest_ms") or 0) > 200:
            over.append(
                f"importing {count:,} sessions blocks the page for "
                f"{imported['longest_ms']:.0f} ms at once (budget: 200 ms)"
            )
    over.extend(history["failures"])
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
