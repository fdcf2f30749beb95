"""The Async API's options: read from the query (file uploads) or a JSON body, then checked
by the contract (contract/accepted.py), whose messages become the 400's."""

from __future__ import annotations

import json
from urllib.parse import unquote

from symbl_media.contract import accepted
from symbl_media.contract.accepted import BOOLEANS, JSON_ARRAYS, NUMBERS, OPTION, OptionProblem
from symbl_media.server.http import Refusal


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
        if key == OPTION.custom_vocabulary:
            raw[key] = _vocabulary_from_query(values)
        elif values:
            raw[key] = values[-1]
    for key in BOOLEANS:
        if key in raw:
            raw[key] = _checked(accepted.boolean, key, raw[key])
    for key in JSON_ARRAYS:
        if key in raw:
            raw[key] = _json(key, raw[key])
    for key in NUMBERS:
        if key in raw:
            raw[key] = _number(key, raw[key])
    return validate(raw)


def _vocabulary_from_query(values: list[str]) -> list:
    # The docs send one JSON array; other clients repeat the key; the official SDK iterates
    # the JSON *string* and sends one character per key. All three are accepted.
    if len(values) == 1:
        text = values[0]
        if text.startswith("["):
            return _json(OPTION.custom_vocabulary, text)
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
        options[OPTION.url] = _checked(accepted.check_media_url, body)
    return options


def validate(raw: dict) -> dict:
    """Check types and ranges by the contract; returns the options the sandbox acts on."""
    return _checked(accepted.validate, raw)


def _checked(check, *args):
    try:
        return check(*args)
    except OptionProblem as exc:
        raise _bad(str(exc)) from None
