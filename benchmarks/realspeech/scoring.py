"""How a transcript is scored against a reference: word error rate and repetition loops.

WER is jiwer's, after OpenAI Whisper's English text normaliser (the ``whisper-normalizer``
package, a copy of ``whisper.normalizers.EnglishTextNormalizer``): lower case, punctuation
removed, spellings and contractions standardised ("Mr." and "mister", "12%" and "twelve
percent"), so a transcript is not charged for writing a word differently from the reference.
Pooled WER is over all reference words of all recordings (jiwer on the lists), not a mean of
per-file rates.
"""

from __future__ import annotations

from dataclasses import dataclass

LOOP_REPEATS = 8  # the same word or phrase eight times in a row: a decoder stuck in a loop


@dataclass(frozen=True)
class Errors:
    """Word errors of one transcript (or many, pooled) against the reference."""

    words: int  # in the reference
    substitutions: int
    deletions: int
    insertions: int

    @property
    def wer(self) -> float:
        return (self.substitutions + self.deletions + self.insertions) / max(self.words, 1)


def normalise(text: str) -> str:
    from whisper_normalizer.english import EnglishTextNormalizer

    return " ".join(EnglishTextNormalizer()(text).split())


def errors(references: list[str], hypotheses: list[str]) -> Errors:
    """jiwer's counts over all the pairs together (pooled)."""
    import jiwer

    refs = [normalise(r) for r in references]
    hyps = [normalise(h) for h in hypotheses]
    out = jiwer.process_words(refs, hyps)
    return Errors(sum(len(r.split()) for r in refs), out.substitutions, out.deletions,
                  out.insertions)


def longest_repeat(text: str) -> tuple[int, str]:
    """The most times any run of 1-6 words repeats back to back, and that run."""
    words = normalise(text).split()
    best, phrase = 1, ""
    for size in range(1, 7):
        run = 0
        for i in range(size, len(words)):
            run = run + 1 if words[i] == words[i - size] else 0
            times = run // size + 1
            if times > best:
                best, phrase = times, " ".join(words[i - size + 1:i + 1])
    return best, phrase


def loops(text: str) -> bool:
    return longest_repeat(text)[0] >= LOOP_REPEATS
