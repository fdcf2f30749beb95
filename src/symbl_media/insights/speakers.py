"""One member per voice across appended pieces: match diarized speakers by their voices.

Symbl diarizes every submission on its own, so after a POST and two PUTs the conversation has
piece 1's "Speaker 1", piece 2's "Speaker 1", ... as unrelated members. The documented fix is
``PUT /v1/conversations/{id}/members/{memberId}`` with ``{"id", "email", "name"}``: members
given the same email are merged. This module decides which members are one voice and builds
those bodies; ``apply`` sends them.

How: each member's speech (up to MAX_SPEECH_SECONDS of its longest messages, read from the
piece it was heard in) is cut into windows and embedded by the sandbox diarizer's voice encoder
(Resemblyzer's d-vector network, numpy only); the member's voice is the mean direction of its
windows. Members are then grouped by average-linkage agglomeration on cosine similarity, with
two rules: members heard in the same piece are never grouped (the diarizer already told them
apart there), and no merge happens below SAME_VOICE.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import soundfile as sf

from symbl_media.contract import shapes as k
from symbl_media.media import ffmpeg

# Members with less speech than this are left alone: two seconds give one or two 1.5 s windows,
# and below that an embedding says little about the voice (a "yes" could match anyone).
MIN_SPEECH_SECONDS = 2.0
# Enough to pin a voice down (espeak-ng voices: the same voice from two different 30 s
# samples scored >= 0.986), while keeping the decoding and the encoder's work small.
MAX_SPEECH_SECONDS = 30.0
# Cosine between two members' voices at or above which they may be one speaker. Calibrated on
# espeak-ng voices the encoder separates (en-us+m3, f2, m7, f4, klatt), each member built from
# 2, 3, 5, 10, 20 or 30 s of different sentences: the same voice scored 0.833-0.992 (180 pairs),
# different voices 0.481-0.836 (720 pairs; the highest is f2 against f4, 30 s each: more speech
# raises both figures). At 0.85 no two different voices merge, and the same voice is missed in
# 6 pairs of 180, each a 2-3 s member against one of 2-5 s. Through the sandbox
# (tests/insights/test_speakers.py, 4.3-6.5 s per member) the same voice scored 0.909-0.958 and
# different voices 0.586-0.775.
# A missed merge leaves an extra member; a wrong one hides a speaker for good, so the threshold
# sits above every different-voice figure. Voices this encoder does not tell apart (en-us and
# en-gb: up to 0.96) merge whatever the threshold; the diarizer mixes them within a piece too.
# Real voices vary more from one sample to the next than synthetic ones do.
SAME_VOICE = 0.85

RATE = 16000  # what the voice encoder reads

Piece = tuple["os.PathLike[str] | str", float, float]  # (file, offset s, duration s)


@dataclass(frozen=True)
class SpeakerGroup:
    """Members that are one voice, the first heard first, and the name they will share."""

    label: str  # "Speaker 1", "Speaker 2", ... in order of first appearance in the recording
    members: tuple[str, ...]

    @property
    def number(self) -> int:
        return int(self.label.rsplit(" ", 1)[1])


@dataclass(frozen=True)
class SpeakerMatch:
    groups: tuple[SpeakerGroup, ...]
    unmatched: tuple[str, ...] = ()  # too little speech to judge: no update is made for these
    pieces: int = 0

    @property
    def labels(self) -> int:
        """How many diarized labels (members) went in."""
        return sum(len(g.members) for g in self.groups) + len(self.unmatched)

    def updates(self, conversation_id: str) -> list[dict]:
        """The ``PUT .../members/{id}`` bodies, each group's first member first.

        The email is synthetic: ``.invalid`` is reserved (RFC 2606) so it can never reach
        anyone, and the conversation id in it keeps it unique to this conversation. Symbl
        merges members by email, and so does the sandbox, keeping the member updated first.
        """
        return [{k.PERSON.id: member,
                 k.PERSON.email: f"speaker-{group.number}@{conversation_id}.invalid",
                 k.PERSON.name: group.label}
                for group in self.groups for member in group.members]

    def describe(self) -> str:
        text = (f"{_count(self.labels, 'diarized label')} across {_count(self.pieces, 'piece')} "
                f"matched to {_count(len(self.groups), 'speaker')}")
        if self.unmatched:
            text += (f" ({len(self.unmatched)} with under {MIN_SPEECH_SECONDS:g} s of speech "
                     f"left as they are)")
        return text


def apply(client_put: Callable[[str, dict], object], conversation_id: str,
          match: SpeakerMatch) -> int:
    """Send the match's member updates through ``client_put(path, body)``; how many were sent."""
    updates = match.updates(conversation_id)
    for body in updates:
        client_put(f"/v1/conversations/{conversation_id}/members/{body['id']}", body)
    return len(updates)


def match_speakers(pieces: Sequence[Piece], messages: Iterable[dict], *,
                   threshold: float = SAME_VOICE, diarizer=None) -> SpeakerMatch:
    """Which members of a conversation are one voice, from its messages and the pieces sent.

    ``messages`` is the Conversation API's list (``timeOffset`` on the whole recording's clock);
    ``pieces`` are the files submitted, with where each starts in the recording and its length.
    ``diarizer`` is anything with ``media.voices.SpanEmbedder``'s ``embed``; by default a
    SpanEmbedder on the bundled voice encoder, the one the server's diarizer uses (only the
    embeddings, never its k-means).
    """
    pieces = [(Path(path), float(offset), float(duration)) for path, offset, duration in pieces]
    members = _members(pieces, messages)
    heard = [m for m in members if m.speech >= MIN_SPEECH_SECONDS]
    if heard:
        if diarizer is None:
            from symbl_media.media.voices import SpanEmbedder
            diarizer = SpanEmbedder()
        voices = np.stack([_voice(m, pieces, diarizer) for m in heard])
        clusters = _cluster(voices, [m.pieces for m in heard], threshold)
    else:
        clusters = []
    # Members are in order of first appearance, so each cluster's first index orders the groups.
    clusters.sort(key=lambda c: c[0])
    groups = tuple(SpeakerGroup(f"Speaker {n}", tuple(heard[i].id for i in cluster))
                   for n, cluster in enumerate(clusters, 1))
    unmatched = tuple(m.id for m in members if m.speech < MIN_SPEECH_SECONDS)
    return SpeakerMatch(groups, unmatched, len(pieces))


# --- members and their speech -------------------------------------------------------------

@dataclass(frozen=True)
class _Member:
    id: str
    first: float  # earliest timeOffset, on the recording's clock
    spans: tuple[tuple[int, float, float], ...]  # (piece index, start, end) in the piece's time

    @property
    def speech(self) -> float:
        return sum(end - start for _, start, end in self.spans)

    @property
    def pieces(self) -> frozenset[int]:
        return frozenset(index for index, _, _ in self.spans)


def _members(pieces: list[tuple[Path, float, float]], messages: Iterable[dict]) -> list[_Member]:
    """Every member that has messages, first heard first, with its speech placed in pieces."""
    first: dict[str, float] = {}
    spans: dict[str, list[tuple[int, float, float]]] = {}
    for message in messages:
        member = (message.get(k.MESSAGE.from_) or {}).get(k.PERSON.id)
        if not member:
            continue
        start = float(message.get(k.MESSAGE.time_offset) or 0.0)
        end = start + max(0.0, float(message.get(k.MESSAGE.duration) or 0.0))
        first[member] = min(first.get(member, start), start)
        spans.setdefault(member, [])
        index = _piece_of(pieces, start, end)
        if index is not None:
            _, offset, duration = pieces[index]
            local = (max(start, offset) - offset, min(end, offset + duration) - offset)
            if local[1] > local[0]:
                spans[member].append((index, *local))
    order = sorted(first, key=lambda m: (first[m], m))
    return [_Member(m, first[m], tuple(spans[m])) for m in order]


def _piece_of(pieces, start: float, end: float) -> int | None:
    """The piece holding most of [start, end]; a message is heard in one piece, but its
    rounded times can poke over a cut."""
    overlaps = [min(end, offset + duration) - max(start, offset)
                for _, offset, duration in pieces]
    best = max(range(len(pieces)), key=lambda i: overlaps[i], default=None)
    return best if best is not None and overlaps[best] > 0 else None


def _voice(member: _Member, pieces, diarizer) -> np.ndarray:
    """The member's voice: the mean direction of its windows' embeddings."""
    # Longest messages first: fewer windows padded out of short ones, which are the noisiest.
    chosen: dict[int, list[tuple[float, float]]] = {}
    budget = MAX_SPEECH_SECONDS
    for index, start, end in sorted(member.spans, key=lambda s: (s[1] - s[2], s[0], s[1])):
        if budget <= 0:
            break
        end = min(end, start + budget)
        chosen.setdefault(index, []).append((start, end))
        budget -= end - start
    windows = [_embed(pieces[index][0], sorted(spans), diarizer)
               for index, spans in sorted(chosen.items())]
    total = np.concatenate(windows).astype(np.float64).sum(axis=0)
    norm = np.linalg.norm(total)
    return total / norm if norm > 0 else total


def _embed(path: Path, spans: list[tuple[float, float]], diarizer) -> np.ndarray:
    """Window embeddings of these spans of one piece, decoding nothing else."""
    if _seekable_16k(path):
        # soundfile seeks to each window, so a long WAV piece costs only the spans read.
        return diarizer.embed(path, spans)[0]
    # Anything else (MP3, another rate) goes through ffmpeg, which seeks to each span
    # (-ss before -i) and writes just those, back to back, as a small 16 kHz WAV.
    with tempfile.TemporaryDirectory(prefix="symbl-media-speakers-") as folder:
        wav = Path(folder) / "spans.wav"
        inputs: list[str] = []
        for start, end in spans:
            inputs += ["-ss", f"{start:.3f}", "-t", f"{end - start:.3f}",
                       "-i", ffmpeg.file_arg(path)]
        joined = "".join(f"[{i}:a:0]" for i in range(len(spans)))
        ffmpeg.run_ffmpeg([*inputs, "-filter_complex",
                           f"{joined}concat=n={len(spans)}:v=0:a=1[speech]", "-map", "[speech]",
                           "-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", "-f", "wav",
                           ffmpeg.file_arg(wav)], what=f"reading speech from {path.name}")
        placed, clock = [], 0.0
        for start, end in spans:
            placed.append((clock, clock + end - start))
            clock += end - start
        return diarizer.embed(wav, placed)[0]


def _seekable_16k(path: Path) -> bool:
    try:
        info = sf.info(os.fspath(path))
    except (OSError, RuntimeError):
        return False
    # libsndfile reads MP3 too, but its MP3 seeking is not sample-exact: leave that to ffmpeg.
    return info.samplerate == RATE and info.format != "MPEG"


# --- grouping -----------------------------------------------------------------------------

def _cluster(voices: np.ndarray, heard_in: list[frozenset[int]],
             threshold: float) -> list[list[int]]:
    """Indices of members grouped as one voice each, by average linkage on cosine.

    The most similar pair of groups is merged first, as long as it scores at least
    ``threshold`` and the two were heard in different pieces; so a member joins the group
    that fits it best, never one holding a member from its own piece.
    """
    similarity = voices @ voices.T
    clusters = [[i] for i in range(len(voices))]
    pieces = [set(p) for p in heard_in]
    while True:
        best = None
        for a, b in combinations(range(len(clusters)), 2):
            if pieces[a] & pieces[b]:
                continue
            score = float(similarity[np.ix_(clusters[a], clusters[b])].mean())
            if score >= threshold and (best is None or score > best[0]):
                best = (score, a, b)
        if best is None:
            return [sorted(c) for c in clusters]
        _, a, b = best
        clusters[a] += clusters.pop(b)
        pieces[a] |= pieces.pop(b)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
