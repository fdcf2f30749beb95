"""How the timeline becomes SRT and WebVTT captions (``cues``, ``srt``, ``vtt``).

How the timeline becomes captions (``cues``):

- Each message gets a window: its own span, cut short where the next message starts (cross-talk,
  or an estimated length running into the next message), but never below the shorter of its own
  length and ``min_cue_seconds``; a message squeezed that hard pushes the next one later instead,
  so no message ever vanishes and the lag cannot build up by more than that floor per message.
- A message is split into as few cues as fit: each at most ``max_lines`` lines of at most
  ``max_chars_per_line`` characters (broken between words; only a word longer than a line is cut)
  and at most ``max_cue_seconds`` long; the words are then spread evenly over that many cues and
  the lines of each cue balanced, so no cue ends with a stray word.
- A cue's time is that of its words: by word timings, or the message window shared in
  proportion to text length. Then every cue is made to last ``min_cue_seconds``, moving the
  breaks between a message's cues as little as possible: within the message's window, or on
  into the quiet before the next message when the window is too short; where even that is not
  enough, the time there is is shared out evenly. A last cue shorter than ``min_cue_seconds``
  is held longer when nothing follows at once. Cues never overlap, are in time order and last
  at least 1 ms.
- SRT puts ``Name: `` before the first cue of each message (counted in the line length; a name
  longer than half a line is shortened with ``…``, keeping its last word or last characters
  when the beginnings of two names would read the same, so speakers stay apart); WebVTT gives
  every cue a ``<v Name>`` voice. A word is cut only when it is longer than its line.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

from symbl_media.durations import caption_stamp
from symbl_media.insights.collect import Insights
from symbl_media.insights.render.packing import balanced_lines, even_pack, timed_tokens
from symbl_media.insights.render.timeline import Said, timeline

MIN_CHARS_PER_LINE = 10


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    speaker: str | None
    lines: tuple[str, ...]  # what is shown, unescaped; SRT's speaker label included


def _windows(said: list[Said], min_cue: float) -> list[tuple[float, float]]:
    """Non-overlapping (start, end) per message: see the module doc for the rule."""
    out, cursor = [], 0.0
    for i, message in enumerate(said):
        start = max(message.start, cursor)
        floor = start + min(message.end - message.start, min_cue)
        end = max(message.end, floor)
        following = said[i + 1].start if i + 1 < len(said) else math.inf
        if following > start:
            end = min(end, max(following, floor))
        out.append((start, end))
        cursor = end
    return out


def _shortened(name: str, longest: int, tail: str) -> str:
    """``name`` cut to ``longest`` characters with ``…``, keeping ``tail`` at its end."""
    head = name[:max(0, longest - 1 - len(tail))].rstrip()
    return head + "…" + tail


def _labels(speakers, width: int) -> dict[str, str]:
    """``Name: `` per speaker. Half a line at most, so a long name still leaves room for what
    was said: a longer name keeps its beginning and ends with ``…``. Names whose beginnings
    would read the same keep their distinguishing end too ("Speak… 1", "Speak… 2": their last
    word, else as many last characters as it takes, else a number), so the labels of different
    speakers always differ."""
    longest = width // 2 - 2
    names = [n for n in dict.fromkeys(speakers) if n]
    out = {n: n if len(n) <= longest else _shortened(n, longest, "") for n in names}

    def clashing() -> list[str]:
        seen = Counter(out.values())
        return [n for n in names if seen[out[n]] > 1 and len(n) > longest]

    tails = [lambda n: " " + n.split()[-1] if " " in n.strip() else n[-1:]]
    tails += [lambda n, k=k: n[-k:].lstrip() for k in range(1, longest)]
    for tail in tails:
        if not clashing():
            break
        for name in clashing():
            end = tail(name)
            if len(end) < longest:
                out[name] = _shortened(name, longest, end)
    for number, name in enumerate(clashing(), 1):
        out[name] = _shortened(name, longest, str(number))
    return {name: f"{label}: " for name, label in out.items()}


def _hold(spans: list[tuple[int, int]], end: int, limit: float, min_ms: int,
          ) -> list[tuple[int, int]]:
    """A message's cues (ms) moved as little as possible so that each lasts ``min_ms``: within
    the message's window (which ends at ``end``), or, when the window is too short for that,
    on into the quiet before the next message (``limit``); as evenly as the room allows when
    even that is not enough."""
    count, first = len(spans), spans[0][0]
    if count < 2 or min_ms <= 0 or all(b - a >= min_ms for a, b in spans):
        return spans
    end = max(end, spans[-1][1])
    if end - first < count * min_ms:
        end = max(end, int(min(limit, first + count * min_ms)))
    step = min(min_ms, (end - first) // count)
    bounds = [a for a, _ in spans] + [end]
    for i in range(1, count + 1):
        bounds[i] = max(bounds[i], bounds[i - 1] + step)
    bounds[count] = end
    for i in range(count - 1, 0, -1):
        bounds[i] = min(bounds[i], bounds[i + 1] - step)
    return [(bounds[i], min(bounds[i + 1], max(b, bounds[i] + step)))
            for i, (_, b) in enumerate(spans)]


def _message_cues(message: Said, start: float, end: float, label: str, width: int,
                  max_lines: int, max_cue: float, min_cue: float = 0.0,
                  limit: float = math.inf) -> list[Cue]:
    tokens = timed_tokens(message, start, end, width, width - len(label))
    groups = even_pack(tokens, len(label), width, max_lines, max_cue)
    spans = _hold([(round(g[0].start * 1000), round(g[-1].end * 1000)) for g in groups],
                  round(end * 1000), limit * 1000, round(min_cue * 1000))
    out = []
    for i, (group, (first, last)) in enumerate(zip(groups, spans, strict=True)):
        indent = len(label) if i == 0 else 0
        lines = balanced_lines(group, width, indent, max_lines)
        if indent:
            lines[0] = label + lines[0]
        out.append(Cue(first, last, message.speaker, tuple(lines)))
    return out


def _settle(planned: list[Cue], min_ms: int, max_ms: int) -> list[Cue]:
    """Whole milliseconds, no overlap, none over max_ms; short ones held where there is room."""
    out: list[Cue] = []
    for i, cue in enumerate(planned):
        start = max(cue.start_ms, out[-1].end_ms if out else 0)
        end = min(cue.end_ms, start + max_ms)
        following = planned[i + 1].start_ms if i + 1 < len(planned) else math.inf
        if end - start < min_ms:
            end = max(end, min(start + min_ms, following))
        out.append(replace(cue, start_ms=start, end_ms=max(end, start + 1)))
    return out


def check_layout(max_chars_per_line, max_lines, max_cue_seconds, min_cue_seconds) -> None:
    if max_chars_per_line < MIN_CHARS_PER_LINE:
        raise ValueError(f"max_chars_per_line must be at least {MIN_CHARS_PER_LINE}")
    if max_lines < 1:
        raise ValueError("max_lines must be at least 1")
    if not 0 < max_cue_seconds < math.inf:
        raise ValueError("max_cue_seconds must be a positive number of seconds")
    if not 0 <= min_cue_seconds <= max_cue_seconds:
        raise ValueError("min_cue_seconds must be between 0 and max_cue_seconds")


def cues(insights: Insights, *, speaker_labels: bool = False, max_chars_per_line: int = 42,
         max_lines: int = 2, max_cue_seconds: float = 7.0, min_cue_seconds: float = 1.0,
         ) -> list[Cue]:
    """The caption timeline; `speaker_labels` puts ``Name: `` before each message's first cue."""
    check_layout(max_chars_per_line, max_lines, max_cue_seconds, min_cue_seconds)
    said = timeline(insights)
    labels = _labels((m.speaker for m in said), max_chars_per_line) if speaker_labels else {}
    windows = _windows(said, min_cue_seconds)
    planned: list[Cue] = []
    for i, (message, (start, end)) in enumerate(zip(said, windows, strict=True)):
        label = labels.get(message.speaker, "") if message.speaker else ""
        following = windows[i + 1][0] if i + 1 < len(windows) else math.inf
        planned += _message_cues(message, start, end, label, max_chars_per_line, max_lines,
                                 max_cue_seconds, min_cue_seconds, following)
    return _settle(planned, round(min_cue_seconds * 1000), max(1, round(max_cue_seconds * 1000)))


def srt(insights: Insights, *, max_chars_per_line: int = 42, max_lines: int = 2,
        max_cue_seconds: float = 7.0, min_cue_seconds: float = 1.0) -> str:
    """SubRip captions; the empty string when nothing was said."""
    found = cues(insights, speaker_labels=True, max_chars_per_line=max_chars_per_line,
                 max_lines=max_lines, max_cue_seconds=max_cue_seconds,
                 min_cue_seconds=min_cue_seconds)
    blocks = [f"{n}\n{caption_stamp(c.start_ms, ',')} --> {caption_stamp(c.end_ms, ',')}\n" + "\n".join(c.lines)
              for n, c in enumerate(found, 1)]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _vtt_escape(text: str) -> str:
    # `>` too: it closes a voice tag's name, and "-->" may not appear in a cue.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt(insights: Insights, *, max_chars_per_line: int = 42, max_lines: int = 2,
        max_cue_seconds: float = 7.0, min_cue_seconds: float = 1.0) -> str:
    """WebVTT captions with a voice per cue; just the header when nothing was said."""
    found = cues(insights, max_chars_per_line=max_chars_per_line, max_lines=max_lines,
                 max_cue_seconds=max_cue_seconds, min_cue_seconds=min_cue_seconds)
    blocks = ["WEBVTT"]
    for cue in found:
        voice = f"<v {_vtt_escape(cue.speaker)}>" if cue.speaker else ""
        blocks.append(f"{caption_stamp(cue.start_ms, '.')} --> {caption_stamp(cue.end_ms, '.')}\n"
                      + voice + "\n".join(_vtt_escape(line) for line in cue.lines))
    return "\n\n".join(blocks) + "\n"

