"""Who is asking: a visitor (one browser, its tabs sharing a cookie) and its rate limit."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

RATE = (50.0, 200.0)  # requests a second, and the burst, per visitor (and per address before the cookie)


@dataclass
class Bucket:
    """A token bucket: ``rate`` a second, up to ``burst`` at once."""

    tokens: float = RATE[1]
    at: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(RATE[1], self.tokens + (now - self.at) * RATE[0])
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class Visitor:
    """One browser (its tabs share the cookie): what it may open and in which language."""

    key: str
    csrf: str
    scope: int | None  # a person's id, or None: every self-check in the data folder
    language: str
    seen: float = field(default_factory=time.monotonic)
    bucket: Bucket = field(default_factory=Bucket)
    amending: set[int] = field(default_factory=set)  # finished checks this visitor chose to change
    flash: dict[str, str] = field(default_factory=dict)  # messages for the next page (a form without script)
