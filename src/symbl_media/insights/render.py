"""Collected insights as documents for people: a Markdown report, SRT and WebVTT captions, text.

``markdown(insights)`` is a meeting report; ``srt(insights)`` and ``vtt(insights)`` are
speaker-labelled captions; ``txt(insights)`` is a plain transcript. ``cues(insights)`` is the
caption timeline the two caption formats share, for anyone who wants another format.

How messages become a timeline (``timeline``):

- A message starts at its ``timeOffset`` (else its ``startTime`` less the conversation's) and
  lasts its ``duration`` (else ``endTime - startTime``). When the insights know the time zero
  of the recording or transcript (``Insights.origin``: a transcript this client sent), a
  message starts at its ``startTime`` less that instead: the service counts ``timeOffset``
  from the conversation's start, a transcript's first cue, which need not be at 0. A message
  with no start follows the one before it; one with no length is given ``len(text) / 15``
  seconds (a comfortable speaking rate). Messages are put in order of start; empty ones are
  left out.
- Word timings (``words``, from ``verbose=true``) are used only when there is one word per word
  of the text: Symbl's text can differ from its words ("I am" / "I'm"), and then nothing says
  which word is which, so times are shared out by length instead.

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
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import NamedTuple

from symbl_media.insights.collect import Insights
from symbl_media import durations
from symbl_media.durations import caption_stamp, padded

# What people say per second, roughly: used only for messages that come without a length.
CHARS_PER_SECOND = 15.0

# A report paragraph of one speaker is closed after this long, so a monologue keeps timestamps.
PARAGRAPH_SECONDS = 60.0

MIN_CHARS_PER_LINE = 10


@dataclass(frozen=True)
class Said:
    """One message on the timeline, in seconds from the start of the conversation."""

    speaker: str | None
    text: str  # runs of white space made one space
    start: float
    end: float
    measured: bool  # the length came from Symbl, not from our estimate
    word_times: tuple[tuple[float, float], ...] = ()  # one per word of text, when usable


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    speaker: str | None
    lines: tuple[str, ...]  # what is shown, unescaped; SRT's speaker label included


# ----------------------------------------------------------------------------- timeline


def _number(value) -> float | None:
    # Symbl sends floats and sometimes ints; booleans, blanks and NaN count as absent.
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _instant(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # Symbl's times are UTC; a time without a zone is read as UTC rather than local time.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _span(item: dict, origin: datetime | None, stated_first: bool = False
          ) -> tuple[float | None, float | None]:
    """(start, length) of a message or word in seconds; None where it does not say.
    ``stated_first``: ``startTime - origin`` before ``timeOffset`` (a known time zero)."""
    start = _number(item.get("timeOffset"))
    begins, ends = _instant(item.get("startTime")), _instant(item.get("endTime"))
    if (start is None or stated_first) and begins and origin:
        start = (begins - origin).total_seconds()
    length = _number(item.get("duration"))
    if (length is None or length <= 0) and begins and ends:
        length = (ends - begins).total_seconds()
    return start, (length if length and length > 0 else None)


def _origin(insights: Insights) -> datetime | None:
    """Time zero: the recording's or transcript's when the insights know it, else the
    conversation's start, else its first message's."""
    if insights.origin is not None:
        known = insights.origin
        return known.replace(tzinfo=UTC) if known.tzinfo is None else known.astimezone(UTC)
    stated = _instant((insights.conversation or {}).get("startTime"))
    if stated:
        return stated
    starts = [t for t in (_instant(m.get("startTime")) for m in insights.messages) if t]
    return min(starts, default=None)


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _speaker(message: dict) -> str | None:
    who = message.get("from")
    return (_clean(who.get("name")) or None) if isinstance(who, dict) else None


def _word_times(message: dict, count: int, origin, stated_first: bool = False
                ) -> tuple[tuple[float, float], ...]:
    words = message.get("words")
    if not isinstance(words, list):
        return ()
    spans = [_span(w, origin, stated_first) for w in words
             if isinstance(w, dict) and _clean(w.get("word"))]
    if len(spans) != count or any(start is None for start, _ in spans):
        return ()
    out, last = [], 0.0
    for start, length in spans:
        # Out-of-order word times would give a cue that ends before it starts.
        start = max(start, last)
        last = start + (length or 0.0)
        out.append((start, last))
    return tuple(out)


def timeline(insights: Insights) -> list[Said]:
    """The messages with text, in order of start, each with a start and an end (see module doc)."""
    origin = _origin(insights)
    stated_first = insights.origin is not None
    rows, known = [], 0.0
    for index, message in enumerate(insights.messages):
        text = _clean(message.get("text"))
        if not text:
            continue
        start, length = _span(message, origin, stated_first)
        words = _word_times(message, len(text.split(" ")), origin, stated_first)
        if start is None and words:
            start = words[0][0]
        # A message without a start sorts right after the one before it.
        known = start if start is not None else known
        rows.append((known, index, message, text, start, length, words))
    rows.sort(key=lambda row: row[:2])

    out: list[Said] = []
    for _, _, message, text, start, length, words in rows:
        start = max(0.0, start if start is not None else (out[-1].end if out else 0.0))
        measured = length is not None
        if length is not None:
            end = start + length
        elif words:
            end = max(start, words[-1][1])
        else:
            end = start + len(text) / CHARS_PER_SECOND
        out.append(Said(_speaker(message), text, start, end, measured or bool(words), words))
    return out


# ----------------------------------------------------------------------------- captions


class _Token(NamedTuple):
    text: str
    start: float
    end: float
    glued: bool  # the rest of a word cut at a line's width: never joined with a space


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


def _shares(weights: list[int], start: float, end: float) -> list[tuple[float, float]]:
    total, done, out = sum(weights) or 1, 0, []
    for weight in weights:
        first = start + (end - start) * done / total
        done += weight
        out.append((first, start + (end - start) * done / total))
    return out


def _tokens(message: Said, start: float, end: float, width: int,
            first_width: int | None = None) -> list[_Token]:
    """The words with their times; a word longer than a line is cut at ``width`` (the first
    word at ``first_width``: it shares its line with the speaker label)."""
    words = message.text.split(" ")
    if message.word_times:
        # Word times are the message's own; its window may have been squeezed or pushed, so they
        # are stretched onto the window rather than taken as they are.
        span = message.end - message.start
        scale = (end - start) / span if span > 0 else 0.0

        def place(t: float) -> float:
            return min(end, max(start, start + (t - message.start) * scale))

        times = [(place(a), place(b)) for a, b in message.word_times]
    else:
        # The space after a word is spoken time too (a pause), so it carries weight.
        times = _shares([len(w) + 1 for w in words], start, end)
    out = []
    for k, (word, (first, last)) in enumerate(zip(words, times, strict=True)):
        head = width if k or first_width is None else first_width
        pieces = [word[:head]] + [word[i:i + width] for i in range(head, len(word), width)]
        shares = _shares([len(p) for p in pieces], first, last)
        out += [_Token(piece, a, b, k > 0)
                for k, (piece, (a, b)) in enumerate(zip(pieces, shares, strict=True))]
    return out


def _wrap(tokens: list[_Token], width: int, indent: int, max_lines: int) -> list[str] | None:
    """Greedy lines of at most `width` (the first `indent` shorter), or None past max_lines."""
    lines: list[str] = []
    line = ""
    for token in tokens:
        room = width - (indent if not lines else 0)
        if line and not token.glued and len(line) + 1 + len(token.text) <= room:
            line += " " + token.text
            continue
        if line:
            lines.append(line)
            room = width
            if len(lines) >= max_lines:
                return None
        if len(token.text) > room:
            return None
        line = token.text
    return lines + [line] if line else lines


def _balanced_lines(tokens: list[_Token], width: int, indent: int, max_lines: int) -> list[str]:
    lines = _wrap(tokens, width, indent, max_lines)
    assert lines is not None  # the packing only makes cues that wrap
    # The narrowest width that still needs no more lines evens them out.
    low, high = 1, width
    while low < high:
        middle = (low + high) // 2
        if _wrap(tokens, middle, indent, len(lines)) is None:
            low = middle + 1
        else:
            high = middle
    return _wrap(tokens, low, indent, len(lines)) or lines


def _fits(tokens: list[_Token], indent: int, width: int, max_lines: int, max_cue: float) -> bool:
    # A lone token always makes a cue: it fits a line, and nothing can make it shorter.
    return len(tokens) == 1 or (tokens[-1].end - tokens[0].start <= max_cue + 1e-9
                                and _wrap(tokens, width, indent, max_lines) is not None)


def _fewest_cues(tokens: list[_Token], indent: int, width: int, max_lines: int,
                 max_cue: float) -> int:
    # Filling each cue as far as it goes gives the fewest: whatever fits a cue, its tail fits too.
    count, first = 0, 0
    for k in range(1, len(tokens) + 1):
        if k == len(tokens) or not _fits(tokens[first:k + 1], indent if not count else 0,
                                         width, max_lines, max_cue):
            count, first = count + 1, k
    return count


def _even_pack(tokens: list[_Token], indent: int, width: int, max_lines: int,
               max_cue: float) -> list[list[_Token]]:
    """As few cues as fit, with the text spread evenly over them.

    Filling cues greedily leaves whatever is over for the last one ("decide." alone for a moment);
    instead, among the splits into the fewest cues, take the one whose cue lengths are closest to
    the mean (least sum of squares), by dynamic programming over where each cue starts.
    """
    fewest = _fewest_cues(tokens, indent, width, max_lines, max_cue)
    mean = (indent + sum(len(t.text) + 1 for t in tokens) - 1) / fewest
    # best[k]: (cues, cost, where the last cue starts) for the first k tokens.
    best: list[tuple[int, float, int] | None] = [(0, 0.0, 0)] + [None] * len(tokens)
    for first in range(len(tokens)):
        if best[first] is None:
            continue
        cues_before, cost_before, _ = best[first]
        room = indent if first == 0 else 0
        size = room - 1
        for last in range(first, len(tokens)):
            size += 1 + len(tokens[last].text)
            if not _fits(tokens[first:last + 1], room, width, max_lines, max_cue):
                break  # what does not fit only gets longer
            candidate = (cues_before + 1, cost_before + (size - mean) ** 2, first)
            if best[last + 1] is None or candidate[:2] < best[last + 1][:2]:
                best[last + 1] = candidate
    groups, end = [], len(tokens)
    while end:
        first = best[end][2]
        groups.append(tokens[first:end])
        end = first
    return groups[::-1]


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
    tokens = _tokens(message, start, end, width, width - len(label))
    groups = _even_pack(tokens, len(label), width, max_lines, max_cue)
    spans = _hold([(round(g[0].start * 1000), round(g[-1].end * 1000)) for g in groups],
                  round(end * 1000), limit * 1000, round(min_cue * 1000))
    out = []
    for i, (group, (first, last)) in enumerate(zip(groups, spans, strict=True)):
        indent = len(label) if i == 0 else 0
        lines = _balanced_lines(group, width, indent, max_lines)
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


def _check_layout(max_chars_per_line, max_lines, max_cue_seconds, min_cue_seconds) -> None:
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
    _check_layout(max_chars_per_line, max_lines, max_cue_seconds, min_cue_seconds)
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


# ----------------------------------------------------------------------------- text and Markdown


def _when(value) -> str:
    at = _instant(value)
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else _clean(value)


def _due(value) -> str:
    at = _instant(value)
    if not at:
        return _clean(value)
    # Symbl gives due dates as midnight UTC when only a day was said; the time is noise then.
    return at.strftime("%Y-%m-%d" if (at.hour, at.minute) == (0, 0) else "%Y-%m-%d %H:%M UTC")


def _name(item: dict, key: str) -> str:
    who = item.get(key)
    return _clean(who.get("name")) if isinstance(who, dict) else ""


def _items(items) -> list[dict]:
    return [item for item in items if isinstance(item, dict) and _clean(item.get("text"))]


def _assigned(item: dict, escape=lambda text: text) -> str:
    """` (Alice, due 2022-12-01)` for an action item or follow-up, or nothing."""
    parts = [escape(_name(item, "assignee")) if _name(item, "assignee") else "",
             f"due {escape(_due(item['dueBy']))}" if _clean(item.get("dueBy")) else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def txt(insights: Insights) -> str:
    """A line per message, then action items, questions, follow-ups; empty when nothing."""
    blocks = ["\n".join(f"[{padded(m.start)}] {m.speaker + ': ' if m.speaker else ''}{m.text}"
                        for m in timeline(insights))]
    lists = (("Action items", [_clean(i["text"]) + _assigned(i)
                               for i in _items(insights.action_items)]),
             ("Questions", [_clean(i["text"]) for i in _items(insights.questions)]),
             ("Follow-ups", [_clean(i["text"]) + _assigned(i)
                             for i in _items(insights.follow_ups)]))
    blocks += [f"{heading}:\n" + "\n".join(f"- {e}" for e in entries)
               for heading, entries in lists if entries]
    blocks = [block for block in blocks if block]
    return "\n\n".join(blocks) + "\n" if blocks else ""


# Characters that make emphasis, code, links, HTML, tables or strike-through anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<|~])")
# What turns the start of a block into a heading, quote, list item or rule.
_MD_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def md_escape(text, *, heading: bool = False) -> str:
    """User text made safe for one Markdown line (white space runs become one space)."""
    text = _MD_INLINE.sub(r"\\\1", _clean(text))
    if heading:
        # In a heading a trailing run of `#` is markup too, wherever it is.
        text = text.replace("#", r"\#")
    return _MD_BLOCK_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], text)


def _talk_times(said: list[Said]) -> dict[str, float | None]:
    """Seconds each speaker talked, in order of first speaking; None where no length was given."""
    totals: dict[str, float | None] = {}
    for message in said:
        if message.speaker:
            had = totals.get(message.speaker)
            if message.measured:
                totals[message.speaker] = (had or 0.0) + message.end - message.start
            else:
                totals.setdefault(message.speaker, None)
    return totals


def _facts(insights: Insights, said: list[Said]) -> list[str]:
    conversation = insights.conversation or {}
    facts = []
    if _clean(conversation.get("startTime")):
        facts.append(f"- **Date:** {md_escape(_when(conversation['startTime']))}")
    # Estimated lengths are left out: a made-up duration in a report would look like a fact.
    length = max((m.end for m in said if m.measured), default=0.0)
    if length <= 0:
        begins, ends = (_instant(conversation.get(k)) for k in ("startTime", "endTime"))
        length = (ends - begins).total_seconds() if begins and ends else 0.0
    if length > 0:
        facts.append(f"- **Duration:** {durations.length(length)}")
    talk = _talk_times(said)
    # Without messages the members say who took part, though not for how long.
    names = list(talk) or [n for n in (_clean(m.get("name")) for m in insights.members
                                       if isinstance(m, dict)) if n]
    if names:
        shown = [md_escape(n) + (f" ({durations.length(talk[n])})" if talk.get(n) is not None else "")
                 for n in names]
        facts.append(f"- **Speakers:** {', '.join(shown)}")
    return facts


def _transcript(said: list[Said]) -> list[str]:
    """Paragraphs `[hh:mm:ss] **Name:** text`, one per run of one speaker (a minute at most)."""
    runs: list[list[Said]] = []
    for message in said:
        last = runs[-1] if runs else None
        if (last and last[0].speaker == message.speaker
                and message.start - last[0].start < PARAGRAPH_SECONDS):
            last.append(message)
        else:
            runs.append([message])
    return [f"[{padded(run[0].start)}] "
            + (f"**{md_escape(run[0].speaker)}:** " if run[0].speaker else "")
            + md_escape(" ".join(m.text for m in run)) for run in runs]


def markdown(insights: Insights, *, title: str | None = None) -> str:
    """A meeting report; sections with nothing in them are left out."""
    said = timeline(insights)
    heading = (_clean(title) or _clean((insights.conversation or {}).get("name"))
               or (f"Conversation {insights.conversation_id}" if insights.conversation_id
                   else "Meeting"))
    blocks = [f"# {md_escape(heading, heading=True)}"]
    facts = _facts(insights, said)
    if facts:
        blocks.append("\n".join(facts))

    def bullets(items, extra=lambda item: "") -> str:
        return "\n".join(f"- {md_escape(i['text'])}{extra(i)}" for i in _items(items))

    def asked(item: dict) -> str:
        return f" ({md_escape(_name(item, 'from'))})" if _name(item, "from") else ""

    sections = (
        ("Summary", "\n\n".join(md_escape(i["text"]) for i in _items(insights.summary))),
        ("Topics", bullets(insights.topics)),
        ("Action items", bullets(insights.action_items, lambda i: _assigned(i, md_escape))),
        ("Questions", bullets(insights.questions, asked)),
        ("Follow-ups", bullets(insights.follow_ups, lambda i: _assigned(i, md_escape))),
        ("Transcript", "\n\n".join(_transcript(said))),
    )
    blocks += [f"## {name}\n\n{body}" for name, body in sections if body]
    return "\n\n".join(blocks) + "\n"
