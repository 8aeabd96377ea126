"""Run every benchmark: `python -m bench` (or `make bench`)."""

import sys

from bench import api_throughput, page_weight


def main() -> int:
    weight = page_weight.run()
    speed = api_throughput.run()
    over = []
    if weight["counted"] > page_weight.BUDGET:
        over.append("first view of / is over 40 KiB")
    if weight["other"]:
        over.append("the page called another origin")
    if speed["ratio"] > 2:
        over.append("GET /api/v1/routine is slower than half a bare Starlette route")
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
