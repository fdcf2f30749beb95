"""When is an outbound HTTP call tried again, and after how long? One policy for every call
this package makes to another service: the client's calls to Symbl (client/transport.py) and
the server's own calls out (speech and chat endpoints its engines use).

Tried again: 429 (too busy), 5xx from a gateway or a crashed upstream, and connections that
failed; every other status is an answer. Pauses grow exponentially up to a cap, with jitter
(a random point in the upper half of the window), so many clients that failed together do not
come back together; a ``Retry-After`` the server sent is honoured when it is not longer than
the cap allows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries per call, the first one included
    backoff: float = 1.0  # seconds of the first pause; it then doubles
    max_backoff: float = 30.0

    def retries(self, status: int) -> bool:
        return status in RETRY_STATUS

    def pause(self, attempt: int, retry_after: str | None = None,
              uniform=random.uniform) -> float:
        """Seconds to wait before try ``attempt + 1`` (``attempt`` counts from 1)."""
        ceiling = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        asked = retry_after_seconds(retry_after)
        if asked is not None and asked <= self.max_backoff:
            return max(asked, ceiling / 2)
        return uniform(ceiling / 2, ceiling)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header in seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
