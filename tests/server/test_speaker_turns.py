"""Speakers that follow the conversation: messages cut where the voice changes, word labels.

The quick exchanges here have pauses of 0.1-0.2 s between people, under the 0.3 s the
transcriber needs to start a new message after a sentence end, so before the diarizer split
messages by voice both people came back as one message from one speaker.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from symbl_media.server.engines import speaker_turns as turns
from symbl_media.server.engines.diarize import Diarizer
from symbl_media.server.model import Segment, Word
from symbl_media.testing import running_sandbox

from .test_diarize import VOICES, espeak_voices, speak  # noqa: F401 (a fixture)

INTRODUCTIONS = (
    (0, "Hello, this is Peter calling from the Boston office about the invoices."),
    (1, "Hi Peter, I am Susan from the Dallas team, I look after the customer accounts."),
    (0, "Great, thank you Susan, I have three questions for you today."),
)


def exchange(folder: Path, voices: tuple[str, str], lines, gap: float) -> tuple[Path, list]:
    """The lines spoken in turn with ``gap`` seconds between people, as a 16 kHz mono WAV, and
    each turn's (start, end, speaker)."""
    rate = 22050
    parts, times, clock = [np.zeros(rate // 2, np.int16)], [], 0.5
    for index, (speaker, text) in enumerate(lines):
        pcm = speak(voices[speaker], text, folder / f"line{index}.wav")
        times.append((clock, clock + len(pcm) / rate, speaker))
        parts += [pcm, np.zeros(int(rate * gap), np.int16)]
        clock += len(pcm) / rate + gap
    raw, wav = folder / "raw.wav", folder / "exchange.wav"
    sf.write(str(raw), np.concatenate(parts + [np.zeros(rate // 2, np.int16)]), rate)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"file:{raw}", "-ar",
                    "16000", "-ac", "1", "-c:a", "pcm_s16le", f"file:{wav}"], check=True)
    return wav, times


@pytest.fixture(scope="module")
def introductions(request, tmp_path_factory):
    request.getfixturevalue("espeak_voices")  # skips without espeak-ng and ffmpeg
    return exchange(tmp_path_factory.mktemp("intro"), (VOICES[0], VOICES[1]), INTRODUCTIONS,
                    gap=0.15)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("speaker-turns")) as running:
        yield running


def submit(client, wav: Path, **query) -> str:
    reply = client.post("/v1/process/audio", data=wav.read_bytes(), params=query)
    assert reply.status_code == 201, reply.text
    ids = reply.json()
    assert client.wait(ids["jobId"]) == "completed"
    return ids["conversationId"]


@pytest.mark.parametrize("count", ["2", None])
def test_two_people_introducing_themselves_in_turn_come_back_as_their_own_messages(
        sandbox, introductions, count):
    client = sandbox.client()
    wav, _ = introductions
    query = {"enableSpeakerDiarization": "true"}
    if count:
        query["diarizationSpeakerCount"] = count
    cid = submit(client, wav, **query)
    messages = client.get(f"/v1/conversations/{cid}/messages",
                          params={"verbose": "true"}).json()["messages"]
    members = client.get(f"/v1/conversations/{cid}/members").json()["members"]
    assert [m["name"] for m in members] == ["Speaker 1", "Speaker 2"]
    said = [(m["from"]["name"], m["text"].lower()) for m in messages]
    # Peter speaks first and last, Susan in between: three turns, two voices.
    speakers = [name for name, _ in said]
    runs = [name for i, name in enumerate(speakers) if i == 0 or name != speakers[i - 1]]
    assert runs == ["Speaker 1", "Speaker 2", "Speaker 1"], said
    assert "peter" in said[0][1] and "invoices" in said[0][1]
    susan = " ".join(text for name, text in said if name == "Speaker 2")
    assert "susan" in susan and "dallas" in susan and "invoices" not in susan
    for m in messages:
        tag = int(m["from"]["name"].split()[-1])
        assert m["words"] and {w["speakerTag"] for w in m["words"]} == {tag}
        assert m["text"] == " ".join(w["word"] for w in m["words"])


def test_words_of_one_segment_spoken_by_two_voices_are_split_between_them(introductions):
    wav, times = introductions
    # One segment holding all three turns, a word per half second of each, as a transcriber
    # that missed the pauses would give it.
    words = []
    for turn, (start, end, speaker) in enumerate(times):
        for at in np.arange(start, end - 0.3, 0.5):
            words.append(Word(f"t{turn}w{len(words)}", float(at), float(at) + 0.4, 0.9))
    segment = Segment(" ".join(w.text for w in words), words[0].start, words[-1].end,
                      tuple(words))
    out = Diarizer().assign(wav, [segment], 2)
    assert [s.speaker for s in out] == [0, 1, 0]
    for piece, (start, end, _) in zip(out, times):
        inside = [w for w in piece.words if start - 0.5 <= w.start and w.end <= end + 0.5]
        assert len(inside) >= len(piece.words) - 1  # the cut falls within a word of the turn
        assert piece.text == " ".join(w.text for w in piece.words)
    assert sum(len(s.words) for s in out) == len(words)


def test_smoothing_ignores_one_odd_window_but_keeps_a_real_change():
    near, far = 0.80, 0.70
    flicker = np.array([[near, far]] * 5 + [[far, near]] + [[near, far]] * 5)
    assert turns.smooth(flicker, 0.12).tolist() == [0] * 11
    change = np.array([[near, far]] * 5 + [[far, near]] * 3)
    assert turns.smooth(change, 0.12).tolist() == [0] * 5 + [1] * 3
    assert turns.smooth(flicker, 0.0).tolist()[5] == 1  # without a penalty it would flicker


def test_a_segment_keeps_its_text_when_its_words_have_one_speaker():
    words = (Word("Hello", 0.0, 0.4, 0.9), Word("there.", 0.5, 0.9, 0.9))
    segment = Segment("Hello there.", 0.0, 0.9, words, channel=None)
    units = turns.units_of([segment])
    (out,) = turns.split_by_speaker([segment], units, np.array([1, 1]))
    assert out == Segment("Hello there.", 0.0, 0.9, words, speaker=1)


def test_stretches_join_words_across_short_pauses_only():
    units = [turns.Unit(0.0, 1.0, 0, 0), turns.Unit(1.3, 2.0, 0, 1), turns.Unit(3.0, 3.5, 1, 0)]
    spans, owner = turns.stretches(units, gap=0.5)
    assert spans == [(0.0, 2.0), (3.0, 3.5)] and owner.tolist() == [0, 0, 1]
