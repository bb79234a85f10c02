"""The store's one error: what went wrong, in words a person can act on (no engine inside)."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot be used as asked; the message names the file and what to do."""
