"""Benchmarks: `make bench` runs them all and prints medians and ratios."""
