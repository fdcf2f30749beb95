"""Offline transcription with faster-whisper: the pinned Whisper tiny.en int8 model, or the
faster-whisper model folder the settings name (English only or multilingual, as the model is).

faster-whisper holds the decoded input and its features in memory, about 0.8 MB per second
of audio given to one call, so a long recording is read and transcribed piece by piece
(about two minutes each, cut in the pauses ``find_silences`` measures) and the word timings
are moved back onto the whole file's clock. Segments are then rebuilt from the words: a new
one starts at a long pause, or at a sentence end followed by a pause, or at a sentence end
once the current one is long (at a clause end, or anywhere, once it is very long).
docs/sandbox-engines.md has the measurements behind these choices.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

from symbl_media.contract.languages import DEFAULT_LANGUAGE, api_language
from symbl_media.errors import EngineError
from symbl_media.media.chunking import Silence, plan_cuts
from symbl_media.media.silence import find_silences
from symbl_media.server.engines.decoding import Decoder
from symbl_media.server.engines.models import INSTALL_HINT, ModelInfo, inspect_model
from symbl_media.server.engines.speech import normalise_level, pack_windows, speech_spans
from symbl_media.server.model import Segment, Transcript, Word

RATE = 16000
MIN_WORD_SECONDS = 0.03  # Whisper's timings give ~1 word in 100 a duration near zero
LONG_PAUSE_SECONDS = 0.6  # always a new message
SENTENCE_PAUSE_SECONDS = 0.3  # a new message after a sentence end
LONG_SEGMENT_SECONDS = 15.0  # past this, any sentence end closes the message
VERY_LONG_SEGMENT_SECONDS = 30.0  # past this, a comma, colon or semicolon does
MAX_SEGMENT_SECONDS = 60.0  # past this, any word boundary does
SENTENCE_ENDS = (".", "?", "!")
CLAUSE_ENDS = (",", ";", ":")
# Each sampling model of the fallback runs on one CTranslate2 thread: it reads encoder output
# already made (no encoder pass to share out), and a few short hypotheses a step are too
# little work for two threads to split without waiting on each other (5-17 % more CPU for
# the same words, docs/benchmarks.md). The second core goes to a second sampling model that
# decodes part of the candidates at the same time (decoding.SAMPLERS).
SAMPLER_THREADS = 1


class WhisperTranscriber:
    """A transcriber (see engines/__init__.py) that runs entirely on this machine."""

    name = "faster-whisper tiny.en int8"

    def __init__(self, model_dir: Path | None = None, *, threads: int = 2,
                 piece_seconds: float = 120.0, beam_size: int = 5) -> None:
        if piece_seconds < 30:
            raise ValueError("piece_seconds must be at least 30 (Whisper's own window)")
        self.model_dir = model_dir
        self.threads = threads
        self.piece_seconds = piece_seconds
        self.beam_size = beam_size
        self._model = None
        self._checked: ModelInfo | None = None
        self._lock = threading.Lock()
        self._runner: ThreadPoolExecutor | None = None

    def _in_model_thread(self, fn, *args):
        """Run ``fn`` on the one thread that makes every call into the model. The sandbox
        runs each job on a thread of its own; once the thread that first used the model had
        ended, CTranslate2 ran 3-20 times slower on every later one (measured: a 30 s
        meeting excerpt took 85 s instead of 6)."""
        with self._lock:
            if self._runner is None:
                self._runner = ThreadPoolExecutor(1, thread_name_prefix="whisper")
        return self._runner.submit(fn, *args).result()

    def load(self) -> None:
        """Load the model now (on the thread every later call uses), not on the first
        transcription: whatever runs jobs starts it as it starts (``Engines.start_loading``)."""
        self._in_model_thread(self._whisper)

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (loaded at start, or by a job)."""
        return self._model is not None

    def check_language(self, code: str) -> None:
        """Raise EngineError for a language this engine cannot transcribe (the sandbox asks
        when a submission arrives, so it is refused with a 400 instead of a failed job)."""
        try:
            info = self._info()
        except EngineError:
            return  # a model folder gone bad since start: the job fails and says why
        check_language(code, multilingual=info.multilingual)

    def transcribe(self, wav: Path, *, language: str = DEFAULT_LANGUAGE,
                   vocabulary: Sequence[str] = ()) -> Transcript:
        check_language(language, multilingual=self._info().multilingual)
        wav = Path(wav)
        frames = _frames(wav)
        duration = frames / RATE
        silences = find_silences(wav)
        bounds = self._pieces(frames, silences)
        hotwords = " ".join(v.strip() for v in vocabulary if v.strip()) or None
        words: list[Word] = []
        # One decoder per recording: its sampler starts from the same seed every time.
        decoder = self._in_model_thread(self._decoder, hotwords, whisper_language(language))
        for start, stop in bounds:
            words.extend(self._in_model_thread(self._piece_words, wav, start, stop, decoder))
        words = clamp_words(words, duration)
        return Transcript(segments=tuple(split_segments(words, silences)), duration=duration,
                          engine=self.name,
                          details={"pieces": [(a / RATE, b / RATE) for a, b in bounds]})

    def _pieces(self, frames: int, silences: list[Silence]) -> list[tuple[int, int]]:
        """(first, end) frame of each piece, cut in the pauses nearest every piece_seconds."""
        cuts = plan_cuts(frames / RATE, silences, self.piece_seconds,
                         max_seconds=self.piece_seconds * 1.25,
                         min_seconds=self.piece_seconds / 4)
        edges = [0, *(round(c.at * RATE) for c in cuts), frames]
        return [(a, b) for a, b in pairwise(edges) if b - a >= RATE // 10]

    def _decoder(self, hotwords: str | None, language: str) -> Decoder:
        model = self._whisper()
        return Decoder(model, beam_size=self.beam_size, hotwords=hotwords, language=language,
                       sampler=lambda: _sampler(self._info().folder,
                                                min(self.threads, SAMPLER_THREADS)))

    def _piece_words(self, wav: Path, start: int, stop: int, decoder: Decoder) -> list[Word]:
        import soundfile as sf

        offset, length = start / RATE, (stop - start) / RATE
        try:
            audio, _ = sf.read(str(wav), start=start, stop=stop, dtype="float32")
            # Quiet recordings are brought up before the VAD and Whisper hear them; then only
            # the speech is decoded, in windows batched together, each with Whisper's
            # temperature fallback and a guard against loops (decoding.py).
            audio, _gain = normalise_level(audio)
            windows = pack_windows(speech_spans(audio))
            found = decoder.words(audio, windows)
        except RuntimeError as exc:  # libsndfile and CTranslate2 both raise RuntimeError
            raise EngineError(f"{wav}: transcription failed at {offset:.1f} s: {exc}") from exc
        words: list[Word] = []
        for w in found:
            text = w.text.strip()
            if not text:
                continue
            at = offset + min(max(w.start, 0.0), length)
            until = offset + min(max(w.end, 0.0), length)
            if words and not w.text[:1].isspace():
                # Whisper detaches a leading "-" ("follow", "-up"): glue it back on.
                prev = words.pop()
                words.append(Word(prev.text + text, prev.start, max(until, prev.end),
                                  min(prev.score, w.probability)))
            else:
                words.append(Word(text, at, until, w.probability))
        return words

    def _info(self) -> ModelInfo:
        """The model folder, checked once (EngineError when missing or of the wrong kind)."""
        if self._checked is None:
            self._checked = inspect_model(self.model_dir)
            self.name = f"faster-whisper {self._checked.name} int8"
        return self._checked

    def _whisper(self):
        with self._lock:
            if self._model is None:
                folder = self._info().folder
                # Only a folder is ever passed, so nothing is fetched; this makes sure of it
                # should a model name slip through (read by huggingface_hub at import).
                os.environ["HF_HUB_OFFLINE"] = "1"
                try:
                    from faster_whisper import WhisperModel
                except ImportError:
                    raise EngineError(INSTALL_HINT) from None
                self._model = WhisperModel(str(folder), device="cpu", compute_type="int8",
                                           cpu_threads=self.threads, local_files_only=True)
            return self._model


def _sampler(folder: Path, threads: int):
    """A fresh CTranslate2 Whisper for sampled decoding (two per recording that falls back,
    decoding.SAMPLERS). CTranslate2 seeds each worker thread's random generator once, from
    the seed set when the thread first samples, so a model that has sampled before goes on
    from where it stopped; a new model's thread starts from ``ctranslate2.set_random_seed``'s
    seed, and the same audio gets the same words."""
    import ctranslate2

    return ctranslate2.models.Whisper(str(folder), device="cpu", compute_type="int8",
                                      intra_threads=threads)


def check_language(code: str, *, multilingual: bool = False) -> None:
    """An English-only model (tiny.en, the default) takes any en-* code and refuses every other
    language; a multilingual one takes every language of the API (contract/languages.py)."""
    if not multilingual and code.split("-")[0].lower() != "en":
        raise EngineError(f"the sandbox's offline model transcribes English only; "
                          f"languageCode {code} is not supported here")
    if multilingual and api_language(code) is None:
        raise EngineError(f"languageCode {code} is not one of the API's languages")


def whisper_language(code: str) -> str:
    """Whisper's language for an API code: its ISO 639-1 part (pt-BR -> pt)."""
    return code.split("-")[0].lower()


def _frames(wav: Path) -> int:
    import soundfile as sf

    try:
        info = sf.info(str(wav))
    except RuntimeError as exc:
        raise EngineError(f"{wav}: not a WAV file the transcriber can read ({exc})") from None
    if info.samplerate != RATE or info.channels != 1:
        raise EngineError(f"{wav}: the transcriber takes 16 kHz mono audio, not "
                          f"{info.samplerate} Hz with {info.channels} channels")
    return info.frames


def clamp_words(words: list[Word], duration: float) -> list[Word]:
    """Monotonic, non-overlapping words of at least MIN_WORD_SECONDS, inside [0, duration]."""
    out: list[Word] = []
    prev_end = 0.0
    for w in words:
        start = max(w.start, prev_end)
        end = max(w.end, start + MIN_WORD_SECONDS)
        out.append(Word(w.text, start, end, w.score))
        prev_end = end
    # Pushing words forward may run past the end: pull the last ones back inside.
    limit = duration
    for i in range(len(out) - 1, -1, -1):
        w = out[i]
        if w.end <= limit:
            break
        end = limit
        start = max(0.0, min(w.start, end - MIN_WORD_SECONDS))
        out[i] = Word(w.text, start, end, w.score)
        limit = start
    return out


def split_segments(words: list[Word], silences: Sequence[Silence]) -> list[Segment]:
    """Messages: words grouped between pauses, as heard (silences) or as timed (word gaps)."""
    pauses = _Pauses(silences)
    segments: list[Segment] = []
    current: list[Word] = []
    for word in words:
        if current and _breaks(current, word, pauses):
            segments.append(_segment(current))
            current = []
        current.append(word)
    if current:
        segments.append(_segment(current))
    return segments


def _breaks(current: list[Word], nxt: Word, pauses: _Pauses) -> bool:
    last = current[-1]
    pause = max(nxt.start - last.end, pauses.between(last, nxt))
    if pause > LONG_PAUSE_SECONDS:
        return True
    length = last.end - current[0].start
    if last.text.endswith(SENTENCE_ENDS):
        return pause >= SENTENCE_PAUSE_SECONDS or length >= LONG_SEGMENT_SECONDS
    if last.text.endswith(CLAUSE_ENDS):
        return length >= VERY_LONG_SEGMENT_SECONDS
    return length >= MAX_SEGMENT_SECONDS


class _Pauses:
    """Measured pauses, looked up by position. Whisper's word edges wander a few tenths of a
    second into the pauses; the pauses themselves do not."""

    def __init__(self, silences: Sequence[Silence]) -> None:
        ordered = sorted(silences, key=lambda s: s.start)
        self.centres = [(s.start + s.end) / 2 for s in ordered]
        self.lengths = [s.end - s.start for s in ordered]

    def between(self, last: Word, nxt: Word) -> float:
        """The longest pause centred between the two words' centres (0 if none)."""
        lo = bisect_left(self.centres, (last.start + last.end) / 2)
        hi = bisect_right(self.centres, (nxt.start + nxt.end) / 2)
        return max(self.lengths[lo:hi], default=0.0)


def _segment(words: list[Word]) -> Segment:
    return Segment(text=" ".join(w.text for w in words).strip(), start=words[0].start,
                   end=words[-1].end, words=tuple(words))
