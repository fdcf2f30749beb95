"""An OpenAI-style ``verbose_json`` transcription as the engine's words.

The servers differ in what they send: OpenAI's ``words`` carry no punctuation and no
confidence (its ``segments`` have both: the text, and ``avg_logprob``); speaches and
faster-whisper-server send each word as Whisper spelt it, with ``probability``; a server that
ignores ``timestamp_granularities`` sends segments only. Messages are split at sentence ends,
so punctuation is taken back from the segments' text where the words lack it; without words,
a segment's words are spread by their length over its time less the pauses measured in it
(servers start a segment where the last one ended, often a second before the speech).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from numbers import Real

from symbl_media.server.model import Word


class NotATranscription(ValueError):
    """The reply is not a verbose_json transcription; the message says what is wrong."""


def reply_words(reply: object, length: float,
                pauses: Sequence[tuple[float, float]] = ()) -> list[Word]:
    """The words of one piece's reply, timed from the piece's start, inside [0, length];
    ``pauses`` (start, end) from the piece's start are where no word is put by spreading."""
    if not isinstance(reply, dict):
        raise NotATranscription(f"a JSON {type(reply).__name__}, not an object")
    segments = _segments(reply.get("segments"))
    raw = reply.get("words")
    if raw is not None and not isinstance(raw, list):
        raise NotATranscription("\"words\" is not a list")
    if raw:
        words = [_word(item, i, segments) for i, item in enumerate(raw)]
        words = _punctuated(words, segments)
    elif segments:
        words = [w for s in segments for w in _spread(s, pauses)]
    elif isinstance(reply.get("text"), str) and not reply["text"].strip():
        words = []  # nothing said
    else:
        raise NotATranscription("no \"words\" or \"segments\" with times (does the server "
                                "support response_format=verbose_json?)")
    return [Word(w.text, min(max(w.start, 0.0), length), min(max(w.end, 0.0), length), w.score)
            for w in words if w.text]


def _number(item: dict, key: str, where: str) -> float:
    value = item.get(key)
    if not isinstance(value, Real) or isinstance(value, bool) or not math.isfinite(value):
        raise NotATranscription(f"{where} has no number \"{key}\"")
    return float(value)


def _segments(raw: object) -> list[tuple[str, float, float, float]]:
    """(text, start, end, confidence) of each segment."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise NotATranscription("\"segments\" is not a list")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise NotATranscription(f"segments[{i}] has no \"text\"")
        start, end = _number(item, "start", f"segments[{i}]"), _number(item, "end",
                                                                      f"segments[{i}]")
        logprob = item.get("avg_logprob")
        score = math.exp(min(float(logprob), 0.0)) if isinstance(logprob, Real) else 1.0
        out.append((item["text"].strip(), start, max(start, end), score))
    return out


def _word(item: object, i: int, segments) -> Word:
    if not isinstance(item, dict) or not isinstance(item.get("word"), str):
        raise NotATranscription(f"words[{i}] has no \"word\"")
    start, end = _number(item, "start", f"words[{i}]"), _number(item, "end", f"words[{i}]")
    probability = item.get("probability")
    if isinstance(probability, Real) and not isinstance(probability, bool):
        score = float(probability)
    else:  # the confidence of the segment the word is in
        middle = (start + end) / 2
        score = next((s[3] for s in segments if s[1] <= middle <= s[2]), 1.0)
    return Word(item["word"].strip(), start, max(start, end), min(max(score, 0.0), 1.0))


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _punctuated(words: list[Word], segments) -> list[Word]:
    """Each word spelt as the segments' text spells it ("Monday?" for "Monday"), matched in
    order; a word the text does not have within a few tokens keeps its own spelling."""
    tokens = [t for s in segments for t in s[0].split()]
    out, at = [], 0
    for word in words:
        key = _key(word.text)
        for ahead in range(at, min(at + 4, len(tokens))):
            if key and _key(tokens[ahead]) == key:
                word = Word(tokens[ahead], word.start, word.end, word.score)
                at = ahead + 1
                break
        out.append(word)
    return out


def _spread(segment, pauses: Sequence[tuple[float, float]]) -> list[Word]:
    text, start, end, score = segment
    voiced = _voiced(start, end, pauses)
    spoken = sum(b - a for a, b in voiced)
    tokens = text.split()
    total = sum(len(t) for t in tokens) or 1
    out, done = [], 0.0
    for token in tokens:
        share = spoken * len(token) / total
        out.append(Word(token, _at(voiced, done), _at(voiced, done + share), score))
        done += share
    return out


def _voiced(start: float, end: float, pauses) -> list[tuple[float, float]]:
    """[start, end] less the pauses inside it (all of it if the pauses would leave nothing)."""
    out, at = [], start
    for a, b in sorted(pauses):
        if b <= at or a >= end:
            continue
        if a > at:
            out.append((at, a))
        at = max(at, b)
    if at < end:
        out.append((at, end))
    return out or [(start, end)]


def _at(voiced: list[tuple[float, float]], spoken: float) -> float:
    """The time at which ``spoken`` seconds of the voiced stretches have gone by."""
    for a, b in voiced:
        if spoken <= b - a:
            return a + spoken
        spoken -= b - a
    return voiced[-1][1]
