"""The sandbox's diarizer and its numpy voice encoder, on conversations spoken by espeak-ng."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from symbl_media.media import voices as voice_encoder
from symbl_media.server.engines.diarize import Diarizer
from symbl_media.errors import EngineError
from symbl_media.media.voices import VoiceEncoder, VoiceEncoderError
from symbl_media.server.model import Segment, Word

# Voices that differ in timbre. Some espeak-ng variants are one speaker to this model (en-us and
# en-gb: cosine 0.95), so the tests use three it separates (docs/sandbox-diarization.md).
VOICES = ("en-us+m3", "en-us+f2", "en-us+m7")
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
    "Does anyone have questions before we wrap up?",
    "No questions from me, thanks for the update.",
)
THREE_WAY = (0, 1, 2, 0, 2, 1, 0, 1, 2, 1, 0, 2)
TWO_WAY = (0, 1, 1, 0, 1, 0, 0, 1, 0, 1)


def speak(voice: str, text: str, path: Path) -> np.ndarray:
    """One turn as int16 at espeak-ng's 22050 Hz, with its silent ends cut off."""
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True,
                   capture_output=True)
    pcm, _ = sf.read(str(path), dtype="int16")
    voiced = np.flatnonzero(np.abs(pcm) > 30)
    return pcm[voiced[0]:voiced[-1] + 1]


def converse(folder: Path, voices: tuple[str, ...], turns: tuple[int, ...]):
    """A 16 kHz mono WAV of the turns with pauses, and each turn's (start, end, speaker)."""
    rate = 22050
    parts, turn_times, clock = [np.zeros(rate // 2, np.int16)], [], 0.5
    for index, speaker in enumerate(turns):
        pcm = speak(voices[speaker], LINES[index % len(LINES)], folder / f"turn{index}.wav")
        turn_times.append((clock, clock + len(pcm) / rate, speaker))
        pause = np.zeros(int(rate * (0.4 + 0.1 * (index % 3))), np.int16)
        parts += [pcm, pause]
        clock += (len(pcm) + len(pause)) / rate
    raw, wav = folder / "raw.wav", folder / "conversation.wav"
    sf.write(str(raw), np.concatenate(parts), rate)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"file:{raw}", "-ar", "16000",
                    "-ac", "1", "-c:a", "pcm_s16le", f"file:{wav}"], check=True)
    return wav, turn_times


def segments_of(turn_times) -> list[Segment]:
    return [Segment(text=f"turn {i}", start=start, end=end,
                    words=(Word(f"turn{i}", start, end, 0.9),))
            for i, (start, end, _) in enumerate(turn_times)]


@pytest.fixture(scope="module")
def espeak_voices() -> None:
    if not shutil.which("espeak-ng") or not shutil.which("ffmpeg"):
        pytest.skip("needs espeak-ng and ffmpeg")
    listed = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True,
                            check=True).stdout.split()
    missing = [v for v in VOICES if f"!v/{v.split('+')[1]}" not in listed]
    if missing:
        pytest.skip(f"espeak-ng lacks the voice variants {missing}")


@pytest.fixture(scope="module")
def three_voices(espeak_voices, tmp_path_factory):
    return converse(tmp_path_factory.mktemp("three"), VOICES, THREE_WAY)


@pytest.fixture(scope="module")
def two_voices(espeak_voices, tmp_path_factory):
    return converse(tmp_path_factory.mktemp("two"), (VOICES[2], VOICES[1]), TWO_WAY)


@pytest.fixture(scope="module")
def one_voice(espeak_voices, tmp_path_factory):
    return converse(tmp_path_factory.mktemp("one"), (VOICES[0],), (0,) * 8)


@pytest.fixture(scope="module")
def diarizer() -> Diarizer:
    return Diarizer()


# --- the diarizer ---------------------------------------------------------------------------

def test_every_turn_of_a_three_voice_conversation_gets_its_speaker(diarizer, three_voices):
    wav, turns = three_voices
    result = diarizer.assign(wav, segments_of(turns), 3)
    # Labels are numbered by first appearance, and so are the turns: no permutation needed.
    assert [s.speaker for s in result] == [speaker for *_, speaker in turns]


def test_every_turn_of_a_two_voice_conversation_gets_its_speaker(diarizer, two_voices):
    wav, turns = two_voices
    result = diarizer.assign(wav, segments_of(turns), 2)
    assert [s.speaker for s in result] == [speaker for *_, speaker in turns]


def test_the_speaker_count_is_estimated_when_not_given(diarizer, three_voices, one_voice):
    wav, turns = three_voices
    assert [s.speaker for s in diarizer.assign(wav, segments_of(turns), None)] == list(THREE_WAY)
    wav, turns = one_voice
    assert {s.speaker for s in diarizer.assign(wav, segments_of(turns), None)} == {0}


def test_segments_come_back_in_their_order_with_only_the_speaker_changed(diarizer, two_voices):
    wav, turns = two_voices
    segments = segments_of(turns)[::-1]  # latest first
    result = diarizer.assign(wav, segments, 2)
    assert [replace(s, speaker=None) for s in result] == segments
    # Numbered by first appearance in time, whatever order the segments came in.
    assert [s.speaker for s in result] == [speaker for *_, speaker in turns][::-1]


def test_the_same_input_gives_the_same_labels(diarizer, three_voices):
    wav, turns = three_voices
    # Two speakers for three voices: a split the clustering has to choose, the same way each time.
    first, again = (diarizer.assign(wav, segments_of(turns), 2) for _ in range(2))
    assert first == again


def test_a_segment_without_audio_takes_the_label_of_its_nearest_neighbour(diarizer, two_voices):
    wav, turns = two_voices
    segments = segments_of(turns)
    end = sf.info(str(wav)).duration
    extra = [Segment("nothing", 2.0, 2.0), Segment("past the end", end + 5, end + 6)]
    result = diarizer.assign(wav, segments + extra, 2)
    assert result[-2].speaker == result[0].speaker
    assert result[-1].speaker == result[len(segments) - 1].speaker


def test_short_segments_are_padded_into_one_window(diarizer, two_voices):
    wav, turns = two_voices
    # Only the first 0.6 s of every turn.
    short = [Segment("", start, start + 0.6) for start, _, _ in turns]
    embeddings, owners = diarizer.embed_segments(wav, short)
    assert owners.tolist() == list(range(len(turns)))
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)


def test_one_speaker_and_no_segments_need_no_clustering(diarizer, two_voices):
    wav, turns = two_voices
    assert {s.speaker for s in diarizer.assign(wav, segments_of(turns), 1)} == {0}
    assert diarizer.assign(wav, [], 3) == ()


@pytest.mark.parametrize("count", [0, -1, 2.5, True])
def test_a_speaker_count_that_is_not_a_positive_whole_number_is_refused(diarizer, two_voices,
                                                                         count):
    wav, turns = two_voices
    with pytest.raises(EngineError, match="speaker count"):
        diarizer.assign(wav, segments_of(turns), count)


def test_audio_at_another_rate_is_refused_by_name(diarizer, tmp_path):
    wav = tmp_path / "call-8k.wav"
    sf.write(str(wav), np.zeros(8000 * 3, np.int16), 8000)
    with pytest.raises(EngineError, match="call-8k.wav.*16000 Hz"):
        diarizer.assign(wav, [Segment("", 0.0, 2.0), Segment("", 2.0, 3.0)], 2)


# --- the voice encoder ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def encoder() -> VoiceEncoder:
    return voice_encoder.shared_encoder()


def test_embeddings_are_unit_vectors(encoder, three_voices):
    wav, turns = three_voices
    audio, _ = sf.read(str(wav), dtype="float32")
    windows = np.stack([audio[int(s * 16000):int(s * 16000) + 24000] for s, _, _ in turns[:5]])
    embeddings = encoder.embed(windows)
    assert embeddings.shape == (5, 256) and embeddings.dtype == np.float32
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)


def test_identical_audio_gives_identical_embeddings(encoder, three_voices):
    wav, turns = three_voices
    audio, _ = sf.read(str(wav), dtype="float32")
    start = int(turns[0][0] * 16000)
    window = audio[start:start + 24000]
    batch = np.stack([window, window, audio[start + 8000:start + 32000]])
    assert np.array_equal(encoder.embed(batch), encoder.embed(batch))
    # A window's place in the batch changes the BLAS kernel that computes its row, and with it
    # the last bits of float32 rounding; nothing more.
    together, alone = encoder.embed(batch), encoder.embed(window[None, :])
    assert np.allclose(together[0], together[1], rtol=0, atol=1e-6)
    assert np.allclose(together[0], alone[0], rtol=0, atol=1e-6)


def test_the_mel_filterbank_is_librosas(encoder):
    # librosa 0.11: librosa.filters.mel(sr=16000, n_fft=400, n_mels=40)[band, bin].
    reference = {(0, 1): 0.00739020947, (5, 11): 0.0133299548, (14, 26): 0.00125141512,
                 (30, 94): 0.00335015007, (39, 186): 0.00170121551}
    basis = encoder.mel_basis_t.T
    assert basis.shape == (40, 201)
    for (band, fft_bin), value in reference.items():
        assert basis[band, fft_bin] == pytest.approx(value, abs=1e-9)


def test_a_tone_lights_up_the_mel_band_around_its_pitch(encoder):
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000).astype(np.float32)
    mel = encoder.mel(tone[None, :])
    assert mel.shape == (1, 101, 40)
    assert int(mel[0, 50].argmax()) == 13  # centred at 1031 Hz, the band nearest 1 kHz


def test_the_bundled_weights_match_their_pinned_hash(encoder):
    assert encoder.sha256 == voice_encoder.WEIGHTS_SHA256
    assert encoder.path == voice_encoder.WEIGHTS_PATH


def test_altered_weights_are_refused_naming_the_file(tmp_path):
    altered = tmp_path / "voice-encoder.npz"
    data = bytearray(voice_encoder.WEIGHTS_PATH.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit inside an LSTM weight
    altered.write_bytes(bytes(data))
    with pytest.raises(VoiceEncoderError, match=r"voice-encoder\.npz.*SHA-256"):
        VoiceEncoder(altered)


def test_missing_weights_are_an_engine_error(tmp_path):
    with pytest.raises(EngineError, match="missing.npz"):
        VoiceEncoder(tmp_path / "missing.npz")
