"""Sync and accounts: devices, pairing, recovery, push and pull, record types, export."""
