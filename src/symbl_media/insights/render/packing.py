"""How one message's words are packed into cues: as few as fit, the words spread evenly over
them, and each cue's lines balanced (see ``captions`` for the rules)."""

from __future__ import annotations

from typing import NamedTuple

from symbl_media.insights.render.timeline import Said


class _Token(NamedTuple):
    text: str
    start: float
    end: float
    glued: bool  # the rest of a word cut at a line's width: never joined with a space


def _shares(weights: list[int], start: float, end: float) -> list[tuple[float, float]]:
    total, done, out = sum(weights) or 1, 0, []
    for weight in weights:
        first = start + (end - start) * done / total
        done += weight
        out.append((first, start + (end - start) * done / total))
    return out


def timed_tokens(message: Said, start: float, end: float, width: int,
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


def balanced_lines(tokens: list[_Token], width: int, indent: int, max_lines: int) -> list[str]:
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


def even_pack(tokens: list[_Token], indent: int, width: int, max_lines: int,
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

