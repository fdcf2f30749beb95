"""The Async API's options: read from the query (file uploads) or a JSON body, and checked.

Messages follow the style Symbl's validation uses elsewhere: '"name" must be ...'.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

from symbl_media.contract.languages import DEFAULT_LANGUAGE, LANGUAGES
from symbl_media.server.http import Refusal

BOOLEANS = ("detectPhrases", "detectEntities", "enableSeparateRecognitionPerChannel",
            "enableAllTrackers", "enableSummary", "enableSpeakerDiarization")
JSON_ARRAYS = ("entities", "channelMetadata", "trackers")
IGNORED = ("features", "metadata", "timezoneOffset")


def _bad(message: str) -> Refusal:
    return Refusal(400, message)


def from_query(query: dict[str, list[str]], raw_query: str = "") -> dict:
    """Options of a file upload, from the query string as the docs and the SDK send them.

    The docs' own Python sample sends ``params=json.dumps(params)``, which puts a whole JSON
    object where the query string goes; that form is read as the JSON it is.
    """
    text = unquote(raw_query).strip() if raw_query else ""
    if text.startswith("{"):
        try:
            as_json = json.loads(text)
        except (ValueError, RecursionError):
            raise _bad("The query string looks like JSON but is not valid JSON") from None
        if isinstance(as_json, dict):
            return validate(as_json)
    raw: dict = {}
    for key, values in query.items():
        if key == "customVocabulary":
            raw[key] = _vocabulary_from_query(values)
        elif values:
            raw[key] = values[-1]
    for key in BOOLEANS:
        if key in raw:
            raw[key] = _boolean(key, raw[key])
    for key in JSON_ARRAYS:
        if key in raw:
            raw[key] = _json(key, raw[key])
    for key in ("confidenceThreshold", "diarizationSpeakerCount"):
        if key in raw:
            raw[key] = _number(key, raw[key])
    return validate(raw)


def _vocabulary_from_query(values: list[str]) -> list:
    # The docs send one JSON array; other clients repeat the key; the official SDK iterates
    # the JSON *string* and sends one character per key. All three are accepted.
    if len(values) == 1:
        text = values[0]
        if text.startswith("["):
            return _json("customVocabulary", text)
        return [text]
    if all(len(v) <= 1 for v in values):
        joined = "".join(values)
        try:
            parsed = json.loads(joined)
            if isinstance(parsed, list):
                return parsed
        except (ValueError, RecursionError):
            pass
    return list(values)


def _boolean(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _bad(f'"{key}" must be a boolean')


def _json(key: str, value):
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise _bad(f'"{key}" must be a valid JSON array') from None


def _number(key: str, value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return float(value) if "." in str(value) else int(str(value))
    except ValueError:
        raise _bad(f'"{key}" must be a number') from None


def from_body(body, *, url_required: bool) -> dict:
    """Options of a URL or text submission, from its JSON body."""
    if not isinstance(body, dict):
        raise _bad('"value" must be of type object')
    options = validate(dict(body))
    if url_required:
        url = body.get("url")
        if not isinstance(url, str) or not url.strip():
            raise _bad('"url" is required')
        parts = _split_url(url.strip())
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise _bad('"url" must be a valid uri with a scheme matching the http|https pattern')
        options["url"] = url.strip()
    return options


def _split_url(url: str):
    """The parts of a URL, or None for one urlsplit cannot take ("http://[x", ...)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def validate(raw: dict) -> dict:
    """Check types and ranges; returns the options the sandbox acts on."""
    try:  # text that is not Unicode ("\ud800" from JSON) can be neither stored nor sent on
        json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        raise _bad("Options must be valid Unicode text (no unpaired surrogates)") from None
    out: dict = {}
    for key in ("name", "webhookUrl", "languageCode", "mode"):
        if key in raw and raw[key] is not None:
            if not isinstance(raw[key], str):
                raise _bad(f'"{key}" must be a string')
            out[key] = raw[key]
    if "webhookUrl" in out and out["webhookUrl"]:
        parts = _split_url(out["webhookUrl"])
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise _bad('"webhookUrl" must be a valid uri')
    if out.get("languageCode", DEFAULT_LANGUAGE) not in LANGUAGES:
        raise _bad(f'"languageCode" must be one of [{", ".join(LANGUAGES)}]')
    if out.get("mode", "default") not in ("phone", "default"):
        raise _bad('"mode" must be one of [phone, default]')
    for key in BOOLEANS:
        if key in raw:
            out[key] = _boolean(key, raw[key])
    if "confidenceThreshold" in raw:
        value = raw["confidenceThreshold"]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _bad('"confidenceThreshold" must be a number')
        if not 0.5 <= value <= 1.0:
            raise _bad('"confidenceThreshold" must be greater than or equal to 0.5 and less '
                       'than or equal to 1')
        out["confidenceThreshold"] = float(value)
    if "diarizationSpeakerCount" in raw:
        value = raw["diarizationSpeakerCount"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 32:
            raise _bad('"diarizationSpeakerCount" must be an integer between 1 and 32')
        out["diarizationSpeakerCount"] = value
    if "customVocabulary" in raw:
        vocab = raw["customVocabulary"]
        if not isinstance(vocab, list) or not all(isinstance(v, str) for v in vocab):
            raise _bad('"customVocabulary" must be an array of strings')
        out["customVocabulary"] = vocab
    if "entities" in raw:
        out["entities"] = _entities(raw["entities"])
    if "trackers" in raw:
        out["trackers"] = _trackers(raw["trackers"])
    if "channelMetadata" in raw:
        out["channelMetadata"] = _channels(raw["channelMetadata"])
    return out


def _entities(value) -> list[dict]:
    if not isinstance(value, list):
        raise _bad('"entities" must be an array')
    for i, item in enumerate(value):
        if not (isinstance(item, dict) and isinstance(item.get("customType"), str)
                and isinstance(item.get("text"), str) and item["text"].strip()):
            raise _bad(f'"entities[{i}]" must have a "customType" and a non-empty "text"')
    return value


def _trackers(value) -> list[dict]:
    if not isinstance(value, list):
        raise _bad('"trackers" must be an array')
    for i, item in enumerate(value):
        if not (isinstance(item, dict) and isinstance(item.get("name"), str)
                and isinstance(item.get("vocabulary"), list)
                and all(isinstance(v, str) for v in item["vocabulary"])):
            raise _bad(f'"trackers[{i}]" must have a "name" and a "vocabulary" array')
    return value


def _channels(value) -> list[dict]:
    if not isinstance(value, list):
        raise _bad('"channelMetadata" must be an array')
    for i, item in enumerate(value):
        speaker = item.get("speaker") if isinstance(item, dict) else None
        if not (isinstance(item, dict) and isinstance(item.get("channel"), int)
                and item["channel"] >= 1 and isinstance(speaker, dict)
                and isinstance(speaker.get("name", ""), str)):
            raise _bad(f'"channelMetadata[{i}]" must have a "channel" (from 1) and a "speaker"')
    return value
