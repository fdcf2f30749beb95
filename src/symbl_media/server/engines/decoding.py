"""Whisper's decoding of speech windows, in batches, with a fallback that holds on real audio.

faster-whisper's ``transcribe`` decodes one window after another; its batched pipeline decodes
many at once but at a single temperature, without the fallback that catches a window gone
wrong. This does both: windows are encoded and decoded in batches (beam search at
temperature 0), and only the windows whose result fails Whisper's own checks (text that
compresses too well, which is what a repetition loop looks like, or a low average
log-probability) are decoded again, together, at rising temperatures. A window that still
loops after the last temperature is cut in two and each half decoded the same way; a half
that loops even then is decoded once more with repeated phrases forbidden. A window whose
no-speech probability is high and whose text is improbable is taken as silence. A window
whose reading stops early, as Whisper's own loop would seek on from (the text closed by a
pair of timestamps well before the window's end), is decoded again from that timestamp:
otherwise the speech after it is lost (a whole 5 s LibriVox clip, and 2-4 s in three of the
broadcast's seven windows, before this was done).

Sampling runs on two sampling models made for the decoder, each seeded apart
(``ctranslate2.set_random_seed``) and each given a fixed share of the candidates, so the same
audio gives the same words every time. Word times come from the cross-attention alignment of the
final text, as faster-whisper computes them.
"""

from __future__ import annotations

import itertools
import math
import zlib
from dataclasses import dataclass

from symbl_media.server.engines.speech import RATE, Window, halves, pack_windows, split_at

TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)  # Whisper's (and faster-whisper's) ladder
COMPRESSION_RATIO_LIMIT = 2.4  # above: repetitive text, decoded again
LOG_PROB_LIMIT = -1.0  # below: an improbable reading, decoded again
NO_SPEECH_LIMIT = 0.6  # above, with an improbable reading: the window is silence
BEST_OF = 5  # candidates sampled at each temperature above 0
SEED = 20261206
# The sampled candidates are split between this many one-thread sampling models run at once
# (3 and 2 of the 5): a window's sampled rung then takes the time of 3 candidates, not 5, on
# two free cores. Each model samples from a seed of its own (SEED, SEED + 1, ...).
SAMPLERS = 2
BATCH = 8  # windows encoded and decoded together
TOKENS_PER_SECOND = 10  # far above any speaker: more is a runaway
SPLIT_DEPTH = 2  # a looping window is halved at most twice (down to ~7 s)
# A run of the same 1-15 tokens repeated this often is a loop, not speech.
LOOP_REPEATS, LOOP_TOKENS, LOOP_PHRASE_REPEATS, LOOP_PHRASE_TOKENS = 5, 15, 3, 6
# A reading that stops this long before its window ends, after a closed segment, is continued.
# The VAD pads every stretch by 0.4 s, so a shorter rest is mostly that padding.
MIN_REST_SECONDS = 1.0
CONTINUATIONS = 3  # rounds of continuing; each starts at least MIN_REST_SECONDS further on
PREPEND = "\"'“¿([{-"
APPEND = "\"'.。,，!！?？:：”)]}、"


@dataclass(frozen=True)
class Reading:
    """One window's decoded text and Whisper's own measures of it."""

    tokens: tuple[int, ...]
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    temperature: float
    capped: bool  # stopped by the token limit, not by the end-of-text token
    # Where Whisper would seek on from, in seconds of the window's audio: the last timestamp
    # when the text ends with two (a closed segment, then the start of one never written).
    # None when it ends with one timestamp or with text: the window was read to its end.
    resume: float | None = None

    @property
    def silent(self) -> bool:
        return self.no_speech_prob > NO_SPEECH_LIMIT and self.avg_logprob < LOG_PROB_LIMIT

    @property
    def loops(self) -> bool:
        return (self.capped or self.compression_ratio > COMPRESSION_RATIO_LIMIT
                or repeats(self.tokens))

    @property
    def fails(self) -> bool:
        return not self.silent and (self.loops or self.avg_logprob < LOG_PROB_LIMIT)


@dataclass(frozen=True)
class TimedWord:
    text: str  # with Whisper's leading space when the word starts one
    start: float  # seconds from the piece's start
    end: float
    probability: float


def repeats(tokens) -> bool:
    """True when some run of 1-15 tokens repeats back to back like a stuck decoder."""
    n = len(tokens)
    for size in range(1, 16):
        run = 0
        for i in range(size, n):
            run = run + 1 if tokens[i] == tokens[i - size] else 0
            times = run // size + 1
            if times >= LOOP_REPEATS and times * size >= LOOP_TOKENS:
                return True
            if times >= LOOP_PHRASE_REPEATS and size >= LOOP_PHRASE_TOKENS:
                return True
    return False


class Decoder:
    """Decodes a piece's windows with one loaded faster-whisper model."""

    def __init__(self, model, *, beam_size: int, hotwords: str | None, sampler=None,
                 language: str = "en") -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.model = model
        self.beam_size = beam_size
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual,
                                   task="transcribe", language=language)
        # With timestamp tokens, as Whisper was trained to decode: without them (faster-whisper's
        # batched default) tiny.en made 15 errors instead of 12 in the 180 reference words of
        # benchmarks/realspeech ("Neither did I" became "I need to design"). The timestamps
        # themselves are dropped: word times come from the alignment.
        self.prompt = model.get_prompt(self.tokenizer, [], without_timestamps=False,
                                       hotwords=hotwords)
        self.suppress = list(get_suppressed_tokens(self.tokenizer, [-1]))
        # Sampling runs on models of its own, made (and seeded) when first needed: see
        # whisper._sampler for why the main model cannot be re-seeded.
        self._make_sampler = sampler
        self._samplers: list = []

    def words(self, piece, windows: list[Window]) -> list[TimedWord]:
        """The words said in ``piece`` (float32 samples), window by window, in order."""
        out: list[TimedWord] = []
        for i in range(0, len(windows), BATCH):
            batch = windows[i:i + BATCH]
            encoded = self._encode(piece, batch)
            finals = self._continued(piece, self._read(piece, batch, encoded, depth=0))
            # Windows never share audio, so their words sorted by time are in the order said
            # (the rests of several windows may be packed into one, between their heads).
            out.extend(sorted(self._timed(finals), key=lambda w: w.start))
        return out

    def _continued(self, piece, finals):
        """Each window whose reading stopped early cut where it stopped, and the rests decoded
        (as Whisper's sequential loop seeks on), packed into windows as the speech was: one
        encoder pass for a few short rests, not one each."""
        for _ in range(CONTINUATIONS):
            rests, kept = [], []
            for window, encoded, reading in finals:
                at = None if reading.resume is None else round(reading.resume * RATE)
                # Only beam-search readings: a sampled one's timestamps wander (on AMI tst00,
                # at 0.4, the last one fell a second inside its final sentence, and the rest
                # read that sentence again).
                if (at is None or at <= 0 or reading.temperature > 0 or reading.silent
                        or reading.loops or window.samples - at < MIN_REST_SECONDS * RATE):
                    kept.append((window, encoded, reading))
                    continue
                head, rest = split_at(window, at)
                kept.append((head, encoded, reading))  # aligned on the head's audio only
                rests.append(rest)
            if not rests:
                break
            rests = pack_windows([span for rest in rests for span in rest.spans])
            finals = kept + self._read(piece, rests, self._encode(piece, rests), depth=0)
        return finals

    def _encode(self, piece, windows: list[Window]):
        import numpy as np
        from faster_whisper.audio import pad_or_trim

        features = np.stack([pad_or_trim(self.model.feature_extractor(w.audio(piece))[..., :-1])
                             for w in windows])
        encoded = self.model.encode(features)
        # A copy, taken while the StorageView is alive: a view would point into memory that
        # CTranslate2 reuses once the StorageView is gone.
        return np.array(encoded, dtype="float32", copy=True)

    def _read(self, piece, windows, encoded, depth: int):
        """[(window, its encoder output, Reading)], after fallback and the loop guard."""
        readings = self._generate(encoded, windows, list(range(len(windows))), 0.0)
        for temperature in TEMPERATURES[1:]:
            again = [i for i, r in enumerate(readings) if r.fails]
            if not again:
                break
            for i, r in zip(again, self._generate(encoded, windows, again, temperature)):
                readings[i] = _better(readings[i], r)
        finals = []
        for i, (window, reading) in enumerate(zip(windows, readings)):
            if reading.loops and not reading.silent:
                parts = halves(window)
                if depth < SPLIT_DEPTH and len(parts) == 2:
                    finals.extend(self._read(piece, parts, self._encode(piece, parts),
                                             depth + 1))
                    continue
                reading = _better(reading, self._generate(encoded, windows, [i], 0.0,
                                                          no_repeat=True)[0])
            finals.append((window, encoded[i], reading))
        return finals

    def _generate(self, encoded, windows, indices, temperature: float, *,
                  no_repeat: bool = False) -> list[Reading]:
        import ctranslate2
        import numpy as np

        limits = [math.ceil(windows[i].seconds * TOKENS_PER_SECOND) + 16 for i in indices]
        room = self.model.max_length - len(self.prompt)
        max_new = min(room, max(limits))
        if temperature > 0:
            how = {"beam_size": 1, "sampling_topk": 0, "sampling_temperature": temperature}
        else:
            how = {"beam_size": self.beam_size, "patience": 1.0}
        if no_repeat:  # the last resort for a window that loops at every temperature
            how.update(repetition_penalty=1.3, no_repeat_ngram_size=4)
        subset = ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded[indices]))
        prompts = [list(self.prompt) for _ in indices]
        common = {"length_penalty": 1.0, "max_length": len(self.prompt) + max_new,
                  "return_scores": True, "return_no_speech_prob": True,
                  "suppress_blank": True, "suppress_tokens": self.suppress, **how}
        if temperature > 0:
            results = self._sample(subset, prompts, common)
        else:
            results = self.model.model.generate(subset, prompts, **common)
        readings = []
        for result, limit in zip(results, limits):
            sequence = result.sequences_ids[0]
            tokens = [t for t in sequence if t < self.tokenizer.eot]  # no timestamps
            avg_logprob = result.scores[0] * len(sequence) / (len(sequence) + 1)
            text = self.tokenizer.decode(tokens).strip().encode("utf-8")
            ratio = len(text) / len(zlib.compress(text)) if text else 0.0
            readings.append(Reading(tuple(tokens), avg_logprob, result.no_speech_prob, ratio,
                                    temperature, len(sequence) >= min(limit, max_new),
                                    self._resume(sequence)))
        return readings

    def _sample(self, subset, prompts, how: dict) -> list:
        """BEST_OF candidates per window, shared out between the sampling models (3 and 2),
        decoded at the same time; each window keeps its most probable candidate, as one
        model's ``num_hypotheses=BEST_OF`` would (the first model's on a tie)."""
        samplers = self._sampling_models(subset)
        if not samplers:  # no sampling model to make: the main one samples (not repeatable)
            return self.model.model.generate(subset, prompts, num_hypotheses=BEST_OF, **how)
        shares = [BEST_OF // len(samplers) + (k < BEST_OF % len(samplers))
                  for k in range(len(samplers))]
        pending = [m.generate(subset, prompts, num_hypotheses=n, asynchronous=True, **how)
                   for m, n in zip(samplers, shares)]
        per_model = [[p.result() for p in results] for results in pending]
        return [max(candidates, key=lambda r: r.scores[0])  # max keeps the first of equals
                for candidates in zip(*per_model)]

    def _sampling_models(self, subset) -> list:
        """The sampling models, made on first use. CTranslate2 seeds a thread's generator from
        the global seed when that thread first samples; the models sample at the same time, so
        each but the first is made to sample once (one token) right after its seed is set,
        and the first, made last, starts from SEED itself, as the single sampling model did."""
        import ctranslate2
        import numpy as np

        if self._samplers or self._make_sampler is None:
            return self._samplers
        made = []
        for k in range(SAMPLERS - 1, -1, -1):
            ctranslate2.set_random_seed(SEED + k)
            model = self._make_sampler()
            if k:
                blank = np.zeros((1, *subset.shape[1:]), dtype="float32")
                model.generate(ctranslate2.StorageView.from_array(blank), [list(self.prompt)],
                               beam_size=1, sampling_topk=0, max_length=len(self.prompt) + 1)
            made.insert(0, model)
        self._samplers = made
        return made

    def _resume(self, sequence) -> float | None:
        """Whisper's seek rule: after text closed by two timestamps, go on from the last."""
        first = self.tokenizer.timestamp_begin
        if len(sequence) >= 2 and sequence[-1] >= first and sequence[-2] >= first:
            return (sequence[-1] - first) * 0.02  # Whisper's timestamps are 20 ms apart
        return None

    def _timed(self, finals) -> list[TimedWord]:
        """Word times from the alignment of each window's final text."""
        import ctranslate2
        import numpy as np
        from faster_whisper.transcribe import merge_punctuations

        spoken = [(w, e, r) for w, e, r in finals if r.tokens and not r.silent]
        if not spoken:
            return []
        encoded = ctranslate2.StorageView.from_array(
            np.ascontiguousarray(np.stack([e for _, e, _ in spoken])))
        frames = [min(3000, math.ceil(w.seconds * 100)) for w, _, _ in spoken]
        alignments = self.model.find_alignment(self.tokenizer, [list(r.tokens) for *_, r in spoken],
                                               encoded, frames)
        out: list[TimedWord] = []
        for (window, _, _), alignment in zip(spoken, alignments):
            _trim_long_words(alignment)
            merge_punctuations(alignment, PREPEND, APPEND)
            for a in alignment:
                if not a["word"]:
                    continue
                start, end = float(a["start"]), float(a["end"])
                shift = window.shift((start + end) / 2)
                out.append(TimedWord(a["word"], start + shift, end + shift,
                                     float(a["probability"])))
        return out


def _better(old: Reading, new: Reading) -> Reading:
    """The new reading if it passes; otherwise whichever failing one is least bad (not
    looping first, then the more probable), as Whisper keeps the best of its attempts."""
    if not new.fails:
        return new
    return min((old, new), key=lambda r: (r.loops, -r.avg_logprob))


def _trim_long_words(alignment: list[dict]) -> None:
    """faster-whisper's correction: a word beside a sentence end is at most twice the median
    word length (the alignment stretches them over the pause)."""
    import numpy as np

    lengths = np.array([a["end"] - a["start"] for a in alignment])
    lengths = lengths[lengths.nonzero()]
    if not len(lengths):
        return
    longest = 2 * min(0.7, float(np.median(lengths)))
    for prev, a in itertools.pairwise(alignment):
        if a["end"] - a["start"] > longest:
            if a["word"] in ".。!！?？":
                a["end"] = a["start"] + longest
            elif prev["word"] in ".。!！?？":
                a["start"] = a["end"] - longest

