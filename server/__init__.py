"""Spine Routine: an offline-first coach for a five-exercise spine routine."""
