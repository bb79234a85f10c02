"""The base of every checklist and assessment model: a misspelt key is an error, a value never
changes once made, and a model is built the first time it is used (so imports stay quick)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
