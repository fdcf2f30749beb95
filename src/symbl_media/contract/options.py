"""The Async API's options, built from what the user asked for and checked before any upload.

Ranges and vocabularies follow the archived contract: confidenceThreshold 0.5–1.0, the
documented language codes, mode phone|default, trackers of 5–50 terms with only . ' -
punctuation, channelMetadata 1-based. A value outside them fails here, so nothing is sent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from symbl_media.contract.accepted import CONFIDENCE, OPTION, OptionProblem
from symbl_media.contract.languages import DIARIZATION_LANGUAGES, LANGUAGES, api_language

MAX_SPEAKERS = 50  # far above any meeting; catches a typo like --diarize 300
TRACKER_TERM = re.compile(r"^[\w .'\-]+$")


@dataclass(frozen=True)
class ChannelSpeaker:
    channel: int
    name: str
    email: str | None = None

    def to_json(self) -> dict:
        speaker = {"name": self.name}
        if self.email:
            speaker["email"] = self.email
        return {"channel": self.channel, "speaker": speaker}


@dataclass(frozen=True)
class Tracker:
    name: str
    vocabulary: tuple[str, ...]

    def to_json(self) -> dict:
        return {"name": self.name, "vocabulary": list(self.vocabulary)}


@dataclass(frozen=True)
class ApiOptions:
    """Everything the Async API lets a submission say, as typed values."""

    name: str | None = None
    webhook: str | None = None
    vocabulary: tuple[str, ...] = ()
    confidence: float | None = None
    detect_phrases: bool = False
    entities: tuple[dict, ...] = ()
    detect_entities: bool = False
    separate_channels: bool = False
    channels: tuple[ChannelSpeaker, ...] = ()
    language: str | None = None
    mode: str | None = None
    trackers: tuple[Tracker, ...] = ()
    all_trackers: bool = False
    summary: bool = False
    diarize: int | None = None
    extra: dict = field(default_factory=dict)  # from the Python API: passed through as given

    def to_json(self, media: str = "audio") -> dict:
        """The option names and values of the contract; ``media`` "text" drops audio-only ones."""
        out: dict = {}
        if self.name:
            out[OPTION.name] = self.name
        if self.webhook:
            out[OPTION.webhook_url] = self.webhook
        if self.confidence is not None:
            out[OPTION.confidence_threshold] = self.confidence
        if self.detect_phrases:
            out[OPTION.detect_phrases] = True
        if self.entities:
            out[OPTION.entities] = list(self.entities)
        if self.detect_entities:
            out[OPTION.detect_entities] = True
        if self.trackers:
            out[OPTION.trackers] = [t.to_json() for t in self.trackers]
        if self.all_trackers:
            out[OPTION.all_trackers] = True
        if self.summary:
            out[OPTION.summary] = True
        if media != "text":
            if self.vocabulary:
                out[OPTION.custom_vocabulary] = list(self.vocabulary)
            if self.language:
                out[OPTION.language_code] = self.language
            if self.mode:
                out[OPTION.mode] = self.mode
            if self.separate_channels:
                out[OPTION.separate_channels] = True
                if self.channels:
                    out[OPTION.channel_metadata] = [c.to_json() for c in self.channels]
            if self.diarize:
                out[OPTION.diarization] = True
                out[OPTION.speaker_count] = self.diarize
        out.update(self.extra)
        return out


def check_confidence(value: float) -> float:
    if not CONFIDENCE[0] <= value <= CONFIDENCE[1]:
        raise OptionProblem("--confidence", f"{value:g} is outside the API's range "
                                            f"{CONFIDENCE[0]} to {CONFIDENCE[1]}")
    return value


def check_language(code: str) -> str:
    """An API code, or a stream's language tag for one (spa → es-ES, eng → en-US)."""
    known = api_language(code)
    if known is not None:
        return known
    raise OptionProblem("--language", f"{code!r} is not one of the API's language codes "
                                      f"({', '.join(LANGUAGES)}) or a language tag for one "
                                      f"(eng, spa, fra, ...)")


def check_diarize(count: int, language: str | None) -> int:
    if not 1 <= count <= MAX_SPEAKERS:
        raise OptionProblem("--diarize", f"{count} speakers: give a count from 1 to "
                                         f"{MAX_SPEAKERS}")
    if language and language.split("-")[0].lower() not in DIARIZATION_LANGUAGES:
        raise OptionProblem("--diarize", f"speaker diarization works for English and Spanish "
                                         f"only, not {language!r}")
    return count


def parse_channel(text: str) -> ChannelSpeaker:
    """``1=Alice`` or ``2=Bob:bob@example.com``; channels are 1-based as in the docs."""
    number, sep, who = text.partition("=")
    name, _, email = who.partition(":")
    # ASCII digits: "²".isdigit() is true and int() refuses it; int() also refuses > 4300 digits.
    if not sep or not re.fullmatch(r"\s*[0-9]{1,6}\s*", number) or int(number) < 1 \
            or not name.strip():
        raise OptionProblem("--channel", f"{text!r}: write N=Name or N=Name:email, "
                                         f"channels counted from 1")
    address = email.strip() or None
    if address and not re.fullmatch(r"[^@\s]+@[^@\s]+", address):
        raise OptionProblem("--channel", f"{address!r} is not an email address")
    return ChannelSpeaker(int(number), name.strip(), address)


def parse_tracker(text: str) -> Tracker:
    """``Pricing=price,cost,discount`` — a name and its vocabulary."""
    name, sep, words = text.partition("=")
    terms = tuple(w.strip() for w in words.split(",") if w.strip())
    if not sep or not name.strip() or not terms:
        raise OptionProblem("--tracker", f"{text!r}: write NAME=word,word,...")
    return check_tracker(Tracker(name.strip(), terms), "--tracker")


def check_tracker(tracker: Tracker, option: str) -> Tracker:
    if len(tracker.vocabulary) > 50:
        raise OptionProblem(option, f"tracker {tracker.name!r} has {len(tracker.vocabulary)} "
                                    f"terms; the API takes at most 50")
    for term in tracker.vocabulary:
        if not TRACKER_TERM.fullmatch(term):  # match() lets a trailing newline through
            raise OptionProblem(option, f"tracker term {term!r}: only letters, digits, spaces "
                                        f"and . ' - are allowed")
    return tracker


def load_trackers(path: Path) -> tuple[Tracker, ...]:
    """A JSON file: ``[{"name": ..., "vocabulary": [...]}, ...]`` as the API takes it."""
    data = _load_json(path, "--trackers")
    if not isinstance(data, list) or not data:
        raise OptionProblem("--trackers", f"{path}: expected a non-empty JSON list of "
                                          f"{{name, vocabulary}} objects")
    out = []
    for item in data:
        if not (isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"]
                and isinstance(item.get("vocabulary"), list) and item["vocabulary"]
                and all(isinstance(v, str) and v.strip() for v in item["vocabulary"])):
            raise OptionProblem("--trackers", f"{path}: each tracker needs a name and a "
                                              f"non-empty vocabulary list of strings")
        out.append(check_tracker(Tracker(item["name"], tuple(item["vocabulary"])),
                                 "--trackers"))
    return tuple(out)


def load_entities(path: Path) -> tuple[dict, ...]:
    """A JSON file: ``[{"customType": ..., "text": ..., "value"?: ...}, ...]``."""
    data = _load_json(path, "--entities")
    if not isinstance(data, list) or not data:
        raise OptionProblem("--entities", f"{path}: expected a non-empty JSON list of "
                                          f"{{customType, text}} objects")
    out = []
    for item in data:
        if not (isinstance(item, dict) and isinstance(item.get("customType"), str)
                and item["customType"] and isinstance(item.get("text"), str) and item["text"]
                and isinstance(item.get("value", ""), str)):
            raise OptionProblem("--entities", f"{path}: each entity needs string customType "
                                              f"and text (and an optional string value)")
        out.append({k: item[k] for k in ("customType", "text", "value") if k in item})
    return tuple(out)


def _load_json(path: Path, option: str):
    try:
        if path.stat().st_size > 1024 * 1024:
            raise OptionProblem(option, f"{path}: larger than 1 MB")
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise OptionProblem(option, f"{path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise OptionProblem(option, f"{path}: not valid JSON ({str(exc).splitlines()[0]})"
                            ) from None
    except RecursionError:
        raise OptionProblem(option, f"{path}: not valid JSON (nested too deeply)") from None
