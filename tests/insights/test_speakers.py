"""Matching diarized speakers across appended pieces, against the real sandbox over HTTP.

The recording is espeak-ng speech made here: four voices, cut into three pieces. Pieces 1 and 2
hold voices A, B and C in different orders; piece 3 holds B and a newcomer, D. So the truth is
four speakers from eight diarized labels, and D must not be merged into anyone.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from symbl_media.insights.speakers import (
    MIN_SPEECH_SECONDS,
    SpeakerGroup,
    SpeakerMatch,
    apply,
    match_speakers,
)
from symbl_media.testing import running_sandbox

# Voices the encoder separates (docs/sandbox-diarization.md). f2 and f4 are its closest pair
# (cosine up to 0.84): D is f4 on purpose, in the same piece as B (f2).
VOICES = {"A": "en-us+m3", "B": "en-us+f2", "C": "en-us+m7", "D": "en-us+f4"}
LINES = (
    "Good morning everyone, let's review the launch plan.",
    "The beta is ready, but three of the tests still fail.",
    "Can we still ship the release on Monday?",
    "Yes, if I can fix the failing tests today.",
    "Please send the budget report to finance by Friday.",
    "Sure, I will send it tomorrow before lunch.",
    "What did the customers say about the new pricing?",
    "Most of them liked it, a few asked for a discount.",
    "Let's schedule a call with the largest accounts next week.",
    "I can set that up and share the invitation.",
    "The warehouse in Denver is running low on packaging.",
    "We hired two new engineers for the platform team.",
    "Our support tickets dropped by twenty percent.",
    "The contract with the vendor expires in August.",
    "Could you double check the numbers in the forecast?",
    "The design review moved to Thursday afternoon.",
)
# Who speaks each turn, piece by piece; the sandbox is told each piece's speaker count.
PIECES = ("ABCBAC", "CABACB", "BDBD")
RATE = 16000
PAUSE = 0.8  # over the transcriber's 0.6 s, so every turn is its own message


@dataclass(frozen=True)
class Recording:
    pieces: tuple[tuple[Path, float, float], ...]  # (file, offset, duration)
    turns: tuple[tuple[float, float, str], ...]  # (start, end, voice) on the recording's clock
    counts: tuple[int, ...]  # distinct voices per piece

    def voice_at(self, start: float, end: float) -> str:
        """The voice of the turn a message overlaps most."""
        return max(self.turns, key=lambda t: min(end, t[1]) - max(start, t[0]))[2]


def _speak(voice: str, text: str, path: Path) -> np.ndarray:
    """One turn as 16 kHz float32, its silent ends cut off."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True,
                   capture_output=True)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"file:{raw}", "-ar",
                    str(RATE), "-ac", "1", "-c:a", "pcm_f32le", f"file:{path}"], check=True)
    pcm, _ = sf.read(str(path), dtype="float32")
    voiced = np.flatnonzero(np.abs(pcm) > 1e-3)
    return pcm[voiced[0]:voiced[-1] + 1]


@pytest.fixture(scope="session")
def recording(tmp_path_factory) -> Recording:
    if not shutil.which("espeak-ng") or not shutil.which("ffmpeg"):
        pytest.skip("needs espeak-ng and ffmpeg")
    listed = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True,
                            check=True).stdout.split()
    missing = [v for v in VOICES.values() if f"!v/{v.split('+')[1]}" not in listed]
    if missing:
        pytest.skip(f"espeak-ng lacks the voice variants {missing}")
    folder = tmp_path_factory.mktemp("speakers")
    pieces, turns, clock, line = [], [], 0.0, 0
    for number, speakers in enumerate(PIECES, 1):
        # Each piece starts and ends with half a pause, so the cuts fall in silence.
        parts, local = [np.zeros(int(RATE * PAUSE / 2), np.float32)], PAUSE / 2
        for who in speakers:
            pcm = _speak(VOICES[who], LINES[line], folder / f"turn{line}.wav")
            turns.append((clock + local, clock + local + len(pcm) / RATE, who))
            parts += [pcm, np.zeros(int(RATE * PAUSE), np.float32)]
            local += len(pcm) / RATE + PAUSE
            line += 1
        parts[-1] = parts[-1][:int(RATE * PAUSE / 2)]
        audio = np.concatenate(parts)
        wav = folder / f"piece{number}.wav"
        sf.write(str(wav), audio, RATE, subtype="PCM_16")
        if number == 2:  # one piece as MP3 at another rate: the ffmpeg path
            mp3 = wav.with_suffix(".mp3")
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"file:{wav}",
                            "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "64k",
                            f"file:{mp3}"], check=True)
            wav = mp3
        duration = len(audio) / RATE
        pieces.append((wav, clock, duration))
        clock += duration
    return Recording(tuple(pieces), tuple(turns), tuple(len(set(p)) for p in PIECES))


@pytest.fixture(scope="session")
def conversation(recording, tmp_path_factory):
    """The pieces posted and appended with diarization; yields (client, id, messages)."""
    with running_sandbox(tmp_path_factory.mktemp("speakers-sandbox")) as sandbox:
        client = sandbox.client()
        cid = None
        for (path, _, _), count in zip(recording.pieces, recording.counts):
            params = {"enableSpeakerDiarization": "true", "diarizationSpeakerCount": str(count)}
            headers = {"Content-Type": "audio/mpeg" if path.suffix == ".mp3" else "audio/wav"}
            if cid is None:
                reply = client.post("/v1/process/audio", data=path.read_bytes(), params=params,
                                    headers=headers)
            else:
                reply = client.put(f"/v1/process/audio/{cid}", data=path.read_bytes(),
                                   params=params, headers=headers)
            assert reply.status_code == 201, reply.text
            cid = reply.json()["conversationId"]
            assert client.wait(reply.json()["jobId"], timeout=120) == "completed"
        messages = client.get(f"/v1/conversations/{cid}/messages").json()["messages"]
        yield client, cid, messages


def voices_of(recording: Recording, messages: list[dict]) -> dict[str, Counter]:
    """For each member, how many of its messages each true voice spoke."""
    found: dict[str, Counter] = {}
    for m in messages:
        voice = recording.voice_at(m["timeOffset"], m["timeOffset"] + m["duration"])
        found.setdefault(m["from"]["id"], Counter())[voice] += 1
    return found


# --- against the sandbox --------------------------------------------------------------------

def test_the_sandbox_labels_each_piece_afresh(recording, conversation):
    _, _, messages = conversation
    by_member = voices_of(recording, messages)
    # Without matching: one member per voice per piece, each of them one voice.
    assert len(by_member) == sum(recording.counts) == 8
    assert all(len(voices) == 1 for voices in by_member.values()), by_member


def test_members_are_matched_to_one_group_per_voice(recording, conversation):
    _, _, messages = conversation
    match = match_speakers(recording.pieces, messages)
    by_member = voices_of(recording, messages)
    voice_of = {member: next(iter(voices)) for member, voices in by_member.items()}
    grouped = [{voice_of[m] for m in group.members} for group in match.groups]
    # Four groups, each one voice, in order of first appearance: A, B, C (piece 1), D (piece 3).
    assert grouped == [{"A"}, {"B"}, {"C"}, {"D"}], match
    assert [len(g.members) for g in match.groups] == [2, 3, 2, 1]
    assert [g.label for g in match.groups] == ["Speaker 1", "Speaker 2", "Speaker 3",
                                               "Speaker 4"]
    assert match.unmatched == ()
    assert match.describe() == "8 diarized labels across 3 pieces matched to 4 speakers"


def test_applying_the_match_leaves_one_member_per_voice(recording, conversation):
    client, cid, messages = conversation
    match = match_speakers(recording.pieces, messages)
    calls = []

    def put(path, body):
        calls.append(path)
        reply = client.put(path, json=body)
        assert reply.status_code == 200, reply.text

    assert apply(put, cid, match) == 8 == len(calls)
    members = client.get(f"/v1/conversations/{cid}/members").json()["members"]
    assert len(members) == len(VOICES)
    assert sorted((m["name"], m["email"]) for m in members) == [
        (f"Speaker {n}", f"speaker-{n}@{cid}.invalid") for n in range(1, 5)]
    after = client.get(f"/v1/conversations/{cid}/messages").json()["messages"]
    by_member = voices_of(recording, after)
    # Every remaining member is one voice, and every voice is one member.
    assert all(len(voices) == 1 for voices in by_member.values()), by_member
    assert sorted(next(iter(v)) for v in by_member.values()) == sorted(VOICES)
    # The first voice heard is Speaker 1 throughout the conversation.
    assert after[0]["from"]["name"] == "Speaker 1"


# --- without the sandbox: messages made from the known turns ----------------------------------

def message(member: str, start: float, end: float) -> dict:
    return {"id": f"m{start:.2f}", "text": "...", "from": {"id": member, "name": "Speaker 1"},
            "timeOffset": round(start, 2), "duration": round(end - start, 2)}


def turns_of(recording: Recording, piece: int) -> list[tuple[float, float, str]]:
    _, offset, duration = recording.pieces[piece]
    return [t for t in recording.turns if offset <= t[0] < offset + duration]


def test_two_members_of_one_piece_are_never_merged(recording):
    # A diarizer that split voice A in two inside piece 1 ("a1", "a2"); piece 2 has A once.
    first, second = turns_of(recording, 0), turns_of(recording, 1)
    a_turns = [t for t in first if t[2] == "A"]
    messages = [message("a1", *a_turns[0][:2]), message("a2", *a_turns[1][:2])]
    messages += [message("a3", s, e) for s, e, who in second if who == "A"]
    for threshold in (0.85, -1.0):  # even when any two voices would do
        match = match_speakers(recording.pieces, messages, threshold=threshold)
        groups = [set(g.members) for g in match.groups]
        assert len(groups) == 2 and not any({"a1", "a2"} <= g for g in groups), groups
        assert sum("a3" in g for g in groups) == 1


def test_with_any_threshold_a_group_holds_at_most_one_member_per_piece(recording):
    messages = []
    for piece in range(3):
        for start, end, who in turns_of(recording, piece):
            messages.append(message(f"{who}{piece}", start, end))
    match = match_speakers(recording.pieces, messages, threshold=-1.0)
    for group in match.groups:
        pieces = [member[1] for member in group.members]
        assert len(pieces) == len(set(pieces)), match


def test_members_with_too_little_speech_are_left_alone(recording):
    # Voice B in pieces 1 and 2, plus a 1.5 s scrap of B in piece 2 under a member of its own.
    first, second = turns_of(recording, 0), turns_of(recording, 1)
    messages = [message("b1", s, e) for s, e, who in first if who == "B"]
    messages += [message("b2", s, e) for s, e, who in second if who == "B"]
    scrap = next(t for t in second if t[2] == "B")
    assert MIN_SPEECH_SECONDS > 1.5
    messages.append(message("short", scrap[0], scrap[0] + 1.5))
    messages.append({"id": "x", "text": "no member", "from": {}, "timeOffset": 1.0,
                     "duration": 2.0})
    match = match_speakers(recording.pieces, messages)
    assert match.groups == (SpeakerGroup("Speaker 1", ("b1", "b2")),)
    assert match.unmatched == ("short",)
    assert "short" not in {u["id"] for u in match.updates("123")}
    assert match.describe() == ("3 diarized labels across 3 pieces matched to 1 speaker "
                                "(1 with under 2 s of speech left as they are)")


def test_updates_and_apply_send_one_synthetic_email_per_group():
    match = SpeakerMatch((SpeakerGroup("Speaker 1", ("m1", "m3")),
                          SpeakerGroup("Speaker 2", ("m2",))), ("m4",), pieces=2)
    calls = []
    assert apply(lambda path, body: calls.append((path, body)), "555", match) == 3
    assert calls == [
        ("/v1/conversations/555/members/m1",
         {"id": "m1", "email": "speaker-1@555.invalid", "name": "Speaker 1"}),
        ("/v1/conversations/555/members/m3",
         {"id": "m3", "email": "speaker-1@555.invalid", "name": "Speaker 1"}),
        ("/v1/conversations/555/members/m2",
         {"id": "m2", "email": "speaker-2@555.invalid", "name": "Speaker 2"}),
    ]
    assert match.describe() == ("4 diarized labels across 2 pieces matched to 2 speakers "
                                "(1 with under 2 s of speech left as they are)")
    assert SpeakerMatch((), (), 1).describe() == (
        "0 diarized labels across 1 piece matched to 0 speakers")


def test_no_members_means_nothing_to_do(recording):
    match = match_speakers(recording.pieces, [])
    assert match == SpeakerMatch((), (), 3) and match.updates("1") == []
