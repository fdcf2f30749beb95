"""Which engine made a conversation's insights: the chosen one, or the default one when the
chosen one could not (its endpoint down, too slow, refusing, answering nonsense).

A job never fails for that and the change is never silent: the server's log says so (one
line, no key), and the conversation's ``metadata.insightsEngine`` says which engine made the
insights and why another did not, which the client turns into a note in its summary. With the
default engine chosen, the metadata is left as it is.
"""

from __future__ import annotations

import json
import logging

from symbl_media.errors import EngineUnavailable
from symbl_media.redaction import scrub

log = logging.getLogger("symbl_media.server")

KEY = "insightsEngine"  # in the conversation's metadata (docs/sandbox-insights.md)
DEFAULT = "heuristics"


def analyse(engines, conversation_id: str, *args, **kwargs) -> tuple[dict, dict | None]:
    """(insights, what to record in the metadata: None for the default engine)."""
    engine = engines.insights
    name = getattr(engine, "name", None) or engines.name("insights") or DEFAULT
    if name == DEFAULT:
        return engine.analyse(conversation_id, *args, **kwargs), None
    try:
        result = engine.analyse(conversation_id, *args, **kwargs)
    except EngineUnavailable as exc:
        reason = scrub(" ".join(str(exc).split()))
        log.warning("insights of conversation %s: the %s engine is unavailable (%s); the %s "
                    "engine made them instead", conversation_id, name, reason, DEFAULT)
        from symbl_media.server import insights as default

        return (default.analyse(conversation_id, *args, **kwargs),
                {"name": DEFAULT, "requested": name, "fallbackReason": reason})
    about = getattr(engine, "about", None)
    return result, dict(about) if isinstance(about, dict) else {"name": name}


def metadata(conversation: dict | None, produced: dict | None) -> str | None:
    """The conversation's metadata (JSON) with ``produced`` recorded; None: leave it (the
    default engine, or a conversation deleted meanwhile)."""
    if produced is None or conversation is None:
        return None
    value = json.loads(conversation["metadata"] or "{}")
    return json.dumps({**value, KEY: produced})
