"""How a length of time is written for people: every formatter of the project, in one leaf.

Each spelling has its reader: a plan or a report line wants tenths, a progress bar whole
seconds, captions milliseconds, a download limit a rough unit. They differ on purpose; what
must not differ is two copies of one of them.
"""

from __future__ import annotations


def tenths(seconds: float | None) -> str:
    """``1:02.5`` or ``1:00:02.5``; "unknown length" when not known (probe, plan, summary)."""
    if seconds is None:
        return "unknown length"
    whole = int(seconds)
    tenth = int((seconds - whole) * 10)
    h, m, s = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{h}:{m:02d}:{s:02d}.{tenth}" if h else f"{m}:{s:02d}.{tenth}"


def hours_minutes_seconds(seconds: float) -> str:
    """``0:01:02``: progress lines, always with hours, cut (not rounded) to the second."""
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def padded(seconds: float) -> str:
    """``00:01:02``: transcript timestamps in text and Markdown reports."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def length(seconds: float) -> str:
    """``1:27`` or ``1:00:27``, rounded half up (round() would make 86.5 s "1:26")."""
    whole = int(seconds + 0.5)
    h, m, s = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def caption_stamp(ms: int, separator: str) -> str:
    """``00:01:02,500`` (SubRip, separator ",") or ``00:01:02.500`` (WebVTT, ".")."""
    seconds, ms = divmod(ms, 1000)
    return (f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
            f"{separator}{ms:03d}")


def rough(seconds: float) -> str:
    """``45 s``, ``12 min``, ``2.5 h``: limits and timeouts in messages."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
