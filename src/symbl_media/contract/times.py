"""How the API writes a moment: ISO 8601 in UTC with milliseconds and a Z
(``2020-07-21T16:04:19.990Z``), as Symbl's replies and the Text API's ``duration`` do.

Pure: written once for the server's replies and insights and the client's Text API bodies and
records. A naive datetime is taken as UTC; a date is its midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def api_time(when: datetime | date) -> str:
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=UTC)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
