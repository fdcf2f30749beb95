"""What the Async API accepts: each option's name on the wire, its type and its range, checked
on the JSON as a submission sends it.

The server runs ``validate`` on every submission's options and answers a refusal with the
message of the ``OptionProblem`` (``'"mode" must be one of [phone, default]'``, the style
Symbl's validation uses). The client builds the same names (``ApiOptions.to_json``) and checks
the user's choices against the same ranges before anything is sent (contract/options.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from urllib.parse import SplitResult, urlsplit

from symbl_media.contract.languages import DEFAULT_LANGUAGE, LANGUAGES


class OptionProblem(ValueError):
    """One option is out of range; ``option`` names it (the CLI flag, or the JSON key)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class OptionKeys:
    name: str = "name"
    webhook_url: str = "webhookUrl"
    custom_vocabulary: str = "customVocabulary"
    confidence_threshold: str = "confidenceThreshold"
    detect_phrases: str = "detectPhrases"
    entities: str = "entities"  # [{"customType", "text", "value"?}]
    detect_entities: str = "detectEntities"
    separate_channels: str = "enableSeparateRecognitionPerChannel"
    channel_metadata: str = "channelMetadata"  # [{"channel": 1.., "speaker": {"name", "email"?}}]
    language_code: str = "languageCode"
    mode: str = "mode"
    trackers: str = "trackers"  # [{"name", "vocabulary": [...]}]
    all_trackers: str = "enableAllTrackers"
    summary: str = "enableSummary"
    diarization: str = "enableSpeakerDiarization"
    speaker_count: str = "diarizationSpeakerCount"
    url: str = "url"  # the Async URL API's body only


OPTION = OptionKeys()


def keys() -> frozenset[str]:
    """Every option name the contract knows."""
    return frozenset(f.default for f in fields(OPTION) if isinstance(f.default, str))


MODES = ("phone", "default")
CONFIDENCE = (0.5, 1.0)  # the range of confidenceThreshold, both ends included
MAX_SPEAKER_COUNT = 32  # what diarizationSpeakerCount may say on the wire
BOOLEANS = (OPTION.detect_phrases, OPTION.detect_entities, OPTION.separate_channels,
            OPTION.all_trackers, OPTION.summary, OPTION.diarization)
NUMBERS = (OPTION.confidence_threshold, OPTION.speaker_count)
JSON_ARRAYS = (OPTION.entities, OPTION.channel_metadata, OPTION.trackers)


def _bad(key: str, message: str) -> OptionProblem:
    return OptionProblem(key, message)


def boolean(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _bad(key, f'"{key}" must be a boolean')


def split_url(url: str) -> SplitResult | None:
    """The parts of a URL, or None for one urlsplit cannot take ("http://[x", ...)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def is_web_url(url: str) -> bool:
    parts = split_url(url)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def check_media_url(body: dict) -> str:
    """The ``url`` of an Async URL API body, stripped; refused when it is not a web URL."""
    url = body.get(OPTION.url)
    if not isinstance(url, str) or not url.strip():
        raise _bad(OPTION.url, f'"{OPTION.url}" is required')
    if not is_web_url(url.strip()):
        raise _bad(OPTION.url, f'"{OPTION.url}" must be a valid uri with a scheme matching the '
                               f'http|https pattern')
    return url.strip()


def validate(raw: dict) -> dict:
    """Check types and ranges; returns the options a server acts on (the others dropped)."""
    try:  # text that is not Unicode ("\ud800" from JSON) can be neither stored nor sent on
        json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        raise _bad("", "Options must be valid Unicode text (no unpaired surrogates)") from None
    out: dict = {}
    for key in (OPTION.name, OPTION.webhook_url, OPTION.language_code, OPTION.mode):
        if key in raw and raw[key] is not None:
            if not isinstance(raw[key], str):
                raise _bad(key, f'"{key}" must be a string')
            out[key] = raw[key]
    if out.get(OPTION.webhook_url) and not is_web_url(out[OPTION.webhook_url]):
        raise _bad(OPTION.webhook_url, f'"{OPTION.webhook_url}" must be a valid uri')
    if out.get(OPTION.language_code, DEFAULT_LANGUAGE) not in LANGUAGES:
        raise _bad(OPTION.language_code,
                   f'"{OPTION.language_code}" must be one of [{", ".join(LANGUAGES)}]')
    if out.get(OPTION.mode, "default") not in MODES:
        raise _bad(OPTION.mode, f'"{OPTION.mode}" must be one of [{", ".join(MODES)}]')
    for key in BOOLEANS:
        if key in raw:
            out[key] = boolean(key, raw[key])
    key = OPTION.confidence_threshold
    if key in raw:
        value = raw[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _bad(key, f'"{key}" must be a number')
        if not CONFIDENCE[0] <= value <= CONFIDENCE[1]:
            raise _bad(key, f'"{key}" must be greater than or equal to {CONFIDENCE[0]:g} and '
                            f'less than or equal to {CONFIDENCE[1]:g}')
        out[key] = float(value)
    key = OPTION.speaker_count
    if key in raw:
        value = raw[key]
        if not isinstance(value, int) or isinstance(value, bool) \
                or not 1 <= value <= MAX_SPEAKER_COUNT:
            raise _bad(key, f'"{key}" must be an integer between 1 and {MAX_SPEAKER_COUNT}')
        out[key] = value
    key = OPTION.custom_vocabulary
    if key in raw:
        vocab = raw[key]
        if not isinstance(vocab, list) or not all(isinstance(v, str) for v in vocab):
            raise _bad(key, f'"{key}" must be an array of strings')
        out[key] = vocab
    if OPTION.entities in raw:
        out[OPTION.entities] = _entities(raw[OPTION.entities])
    if OPTION.trackers in raw:
        out[OPTION.trackers] = _trackers(raw[OPTION.trackers])
    if OPTION.channel_metadata in raw:
        out[OPTION.channel_metadata] = _channels(raw[OPTION.channel_metadata])
    return out


def _array(key: str, value) -> list:
    if not isinstance(value, list):
        raise _bad(key, f'"{key}" must be an array')
    return value


def _entities(value) -> list[dict]:
    key = OPTION.entities
    for i, item in enumerate(_array(key, value)):
        if not (isinstance(item, dict) and isinstance(item.get("customType"), str)
                and isinstance(item.get("text"), str) and item["text"].strip()):
            raise _bad(key, f'"{key}[{i}]" must have a "customType" and a non-empty "text"')
    return value


def _trackers(value) -> list[dict]:
    key = OPTION.trackers
    for i, item in enumerate(_array(key, value)):
        if not (isinstance(item, dict) and isinstance(item.get("name"), str)
                and isinstance(item.get("vocabulary"), list)
                and all(isinstance(v, str) for v in item["vocabulary"])):
            raise _bad(key, f'"{key}[{i}]" must have a "name" and a "vocabulary" array')
    return value


def _channels(value) -> list[dict]:
    key = OPTION.channel_metadata
    for i, item in enumerate(_array(key, value)):
        speaker = item.get("speaker") if isinstance(item, dict) else None
        if not (isinstance(item, dict) and isinstance(item.get("channel"), int)
                and item["channel"] >= 1 and isinstance(speaker, dict)
                and isinstance(speaker.get("name", ""), str)):
            raise _bad(key, f'"{key}[{i}]" must have a "channel" (from 1) and a "speaker"')
    return value
