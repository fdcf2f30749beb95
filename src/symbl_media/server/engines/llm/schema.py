"""What the model is asked to answer, as a JSON schema, and whether an answer keeps to it.

The same schema goes out in ``response_format`` (endpoints that constrain their output to it)
and checks every answer here (endpoints that do not, and models that stray even when asked):
one definition, so what is asked and what is accepted cannot drift apart. The validator reads
only the keywords this schema uses; its messages are short enough to hand back to the model.
"""

from __future__ import annotations

import json
import re

# Lists are capped so a small model cannot run on for ever inside a constrained grammar; the
# caps are far above what a piece of a conversation holds.
_REFS = {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1,
         "maxItems": 8}
_NULLABLE_TEXT = {"type": ["string", "null"], "maxLength": 120}

ACTION_ITEM = {
    "type": "object",
    "properties": {
        "messages": _REFS,
        "text": {"type": "string", "maxLength": 300},
        "assignee": _NULLABLE_TEXT,
        "due": _NULLABLE_TEXT,
        "definitive": {"type": "boolean"},
        "followUp": {"type": "boolean"},
    },
    "required": ["messages", "text", "assignee", "due", "definitive", "followUp"],
    "additionalProperties": False,
}
QUESTION = {
    "type": "object",
    "properties": {"message": {"type": "integer", "minimum": 1},
                   "text": {"type": "string", "maxLength": 300}},
    "required": ["message", "text"],
    "additionalProperties": False,
}
TOPIC = {
    "type": "object",
    "properties": {"text": {"type": "string", "maxLength": 60}, "parent": _NULLABLE_TEXT},
    "required": ["text", "parent"],
    "additionalProperties": False,
}
SUMMARY_SENTENCE = {
    "type": "object",
    "properties": {"messages": _REFS, "text": {"type": "string", "maxLength": 400}},
    "required": ["messages", "text"],
    "additionalProperties": False,
}


def schema(summary: bool) -> dict:
    """The answer for one piece of a conversation (a summary only when one was asked for)."""
    properties = {
        "actionItems": {"type": "array", "items": ACTION_ITEM, "maxItems": 24},
        "questions": {"type": "array", "items": QUESTION, "maxItems": 24},
        "topics": {"type": "array", "items": TOPIC, "maxItems": 10},
    }
    if summary:
        properties["summary"] = {"type": "array", "items": SUMMARY_SENTENCE, "maxItems": 6}
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


class Invalid(ValueError):
    """An answer that is not the JSON asked for; the message says where and why, briefly."""


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def parse(content: str, wanted: dict) -> dict:
    """The answer as a value that keeps to ``wanted``; Invalid otherwise. Models asked for
    JSON without a constrained grammar often wrap it in a Markdown fence: that is unwrapped."""
    fenced = _FENCE.match(content or "")
    text = fenced.group(1) if fenced else (content or "")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise Invalid(f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    problems = list(errors(value, wanted))
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise Invalid("; ".join(problems[:3]) + more)
    return value


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is(value, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def errors(value, wanted: dict, where: str = "$"):
    """Each way ``value`` breaks ``wanted`` (type, required, additionalProperties, items,
    minItems/maxItems, minimum, maxLength), as "where: what"."""
    types = wanted.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if types and not any(_is(value, t) for t in types):
        yield f"{where}: expected {' or '.join(types)}, got {_name(value)}"
        return
    if isinstance(value, dict):
        properties = wanted.get("properties", {})
        for key in wanted.get("required", ()):
            if key not in value:
                yield f"{where}: missing \"{key}\""
        if wanted.get("additionalProperties") is False:
            for key in value:
                if key not in properties:
                    yield f"{where}: unexpected \"{key}\""
        for key, sub in properties.items():
            if key in value:
                yield from errors(value[key], sub, f"{where}.{key}")
    elif isinstance(value, list):
        if len(value) < wanted.get("minItems", 0):
            yield f"{where}: needs at least {wanted['minItems']} item(s)"
        if "maxItems" in wanted and len(value) > wanted["maxItems"]:
            yield f"{where}: at most {wanted['maxItems']} items"
        for i, item in enumerate(value):
            yield from errors(item, wanted.get("items", {}), f"{where}[{i}]")
    elif isinstance(value, str):
        if "maxLength" in wanted and len(value) > wanted["maxLength"]:
            yield f"{where}: longer than {wanted['maxLength']} characters"
    elif _is(value, "integer") and value < wanted.get("minimum", value):
        yield f"{where}: below {wanted['minimum']}"


def _name(value) -> str:
    for name in ("null", "boolean", "integer", "string", "array", "object"):
        if _is(value, name):
            return name
    return "number"
