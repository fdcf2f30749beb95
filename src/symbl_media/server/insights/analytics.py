"""Analytics: talk time, listen time, silence, overlap and pace, from message timings.

Talk time is what the messages' time spans say, so it is only as good as the engine's segment
boundaries (pauses inside a message count as talk). Overlap is where two speakers' messages
overlap in time. Percentages follow the API's example: metrics are shares of the conversation
(silence + talk = 100) except overlap, which is a share of the talk time; a member's talk and
listen shares are of all members' summed talk time; an overlap between two members is a share
of their two talk times.
"""

from __future__ import annotations

from collections import defaultdict

from .conversation import Conversation, Speaker
from .words import word_count


def analyse(conversation: Conversation) -> dict:
    spans: dict[str, list[tuple[float, float]]] = defaultdict(list)
    words: dict[str, int] = defaultdict(int)
    for m in conversation.messages:
        if m.end > m.start:
            spans[m.speaker.id].append((m.start, m.end))
        words[m.speaker.id] += word_count(m.text)
    merged = {sid: _union(s) for sid, s in spans.items()}
    talk = {sid: _length(s) for sid, s in merged.items()}
    speech = _union([span for s in merged.values() for span in s])
    overlap_spans = _overlaps(list(merged.values()))
    duration = max(conversation.duration, speech[-1][1] if speech else 0.0)
    talk_total = _length(speech)
    silence = max(duration - talk_total, 0.0)
    overlap_total = _length(overlap_spans)
    talk_pct, silence_pct = _shares([talk_total, silence])
    metrics = [
        {"type": "total_silence", "percent": silence_pct, "seconds": _r(silence)},
        {"type": "total_talk_time", "percent": talk_pct, "seconds": _r(talk_total)},
        {"type": "total_overlap", "percent": _pct(overlap_total, talk_total), "seconds": _r(overlap_total)},
    ]
    members = list(conversation.members)
    summed = sum(talk.values())
    # Shares of the talk time as shown, to the millisecond: a member shown with 0.0 s has 0 %.
    shares = dict(zip([m.id for m in members], _shares([_r(talk.get(m.id, 0.0)) for m in members])))
    out = []
    for member in members:
        own = talk.get(member.id, 0.0)
        out.append({
            **member.ref(),
            "pace": {"wpm": _wpm(words[member.id], own)},
            "talkTime": {"percentage": shares[member.id], "seconds": _r(own)},
            "listenTime": {"percentage": round(100.0 - shares[member.id], 3) if summed > 0 else 0.0,
                           "seconds": _r(summed - own)},
            "overlap": _member_overlap(member, members, merged, talk),
        })
    return {"metrics": metrics, "members": out}


def _member_overlap(member: Speaker, members: list[Speaker], merged: dict, talk: dict) -> dict:
    mine = merged.get(member.id, [])
    others = []
    with_anyone: list[tuple[float, float]] = []
    for other in members:
        if other.id == member.id:
            continue
        shared = _intersect(mine, merged.get(other.id, []))
        seconds = _length(shared)
        if seconds <= 0:
            continue
        with_anyone += shared
        others.append({**other.ref(),
                       "percent": _pct(seconds, talk.get(member.id, 0.0) + talk.get(other.id, 0.0)),
                       "seconds": _r(seconds)})
    return {"overlapDuration": _r(_length(_union(with_anyone))), "overlappingMembers": others}


def _wpm(words: int, seconds: float) -> int:
    # Below a millisecond of talk there is no meaningful pace (and the division could overflow).
    return round(words * 60.0 / seconds) if seconds >= 0.001 else 0


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _overlaps(per_speaker: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Time where at least two speakers talk at once."""
    events = sorted([(s, 1) for spans in per_speaker for s, _ in spans]
                    + [(e, -1) for spans in per_speaker for _, e in spans], key=lambda x: (x[0], x[1]))
    out, active, since = [], 0, 0.0
    for time, step in events:
        if active >= 2 and time > since:
            out.append((since, time))
        active += step
        since = time
    return _union(out)


def _length(spans: list[tuple[float, float]]) -> float:
    return sum(end - start for start, end in spans)


def _r(seconds: float) -> float:
    return round(float(seconds), 3)


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 3) if whole > 0 else 0.0


def _shares(values: list[float]) -> list[float]:
    """Percentages of the total, rounded to 3 decimals so that they add up to exactly 100."""
    total = sum(values)
    if total <= 0:
        return [0.0] * len(values)
    exact = [v * 100_000.0 / total for v in values]  # in thousandths of a percent
    floors = [int(x) for x in exact]
    short = 100_000 - sum(floors)
    for i in sorted(range(len(values)), key=lambda i: floors[i] - exact[i])[:short]:
        floors[i] += 1
    return [f / 1000.0 for f in floors]
