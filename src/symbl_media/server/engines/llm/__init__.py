"""The ``llm`` insights engine: topics, action items, follow-ups, questions (and the summary)
from any OpenAI-compatible chat endpoint, grounded in the conversation's own messages.

    engine = LlmInsights(settings.endpoint("llm"))
    engine.analyse(conversation_id, messages, members, duration=..., start_time=..., options=...)

The conversation goes out in pieces (prompt.py), each answer is checked against the JSON
schema it was asked for and asked again once with the problem when it is not (schema.py),
every item is grounded in the messages it cites (items.py, grounding.py), and the pieces are
merged with what the default engine makes for the rest (merge.py). When the endpoint fails,
times out or answers nonsense twice, ``analyse`` raises ``EngineUnavailable``: the server
then uses the default engine and says so (server/insight_runs.py). Message sentiment and
phrases are the default engine's: a chat call per message read would be slow and costly.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime

from symbl_media.errors import EngineError, EngineUnavailable
from symbl_media.server import insights as default
from symbl_media.server.engines.settings import Endpoint, EngineSettings

from . import merge, prompt, schema
from .chat import POLICY, TIMEOUT, Chat
from .items import Context, Found, add_piece

log = logging.getLogger("symbl_media.server")

NAME = "llm"
SECONDS_PER_PIECE = 240.0  # the whole analysis gives up after this much per piece (10 min at least)


class LlmInsights:
    name = NAME

    def __init__(self, endpoint: Endpoint, *, timeout: float = TIMEOUT, policy=POLICY,
                 piece_characters: int = prompt.PIECE_CHARACTERS) -> None:
        if not endpoint.model:
            raise EngineError("the llm insights engine needs a model: give --llm-model NAME "
                              "or set SYMBL_MEDIA_LLM_MODEL")
        self.chat = Chat(endpoint, timeout=timeout, policy=policy)
        self.piece_characters = piece_characters
        # What the server records in the conversation's metadata: no URL, no key.
        self.about = {"name": NAME, "model": endpoint.model}

    def sentiment(self, text: str) -> dict:
        return default.sentiment(text)

    def phrases(self, text: str) -> list[dict]:
        return default.phrases(text)

    def analyse(self, conversation_id: str, messages: list[dict], members: list[dict], *,
                duration: float, start_time: str,
                options: default.InsightOptions = default.InsightOptions()) -> dict:
        base = default.analyse(conversation_id, messages, members, duration=duration,
                               start_time=start_time, options=options)
        lines = _lines(messages, members, start_time)
        if not lines:
            return base
        ctx = Context(conversation_id, tuple(members), options.detect_phrases)
        try:
            found = self._ask(lines, ctx, options.enable_summary)
        except EngineUnavailable:
            raise
        except Exception as exc:  # a fault of ours must not fail the job either
            log.exception("the llm insights engine failed")
            raise EngineUnavailable(f"the llm insights engine failed ({type(exc).__name__})"
                                    ) from None
        if found.dropped:
            log.info("llm insights for %s: %d item(s) dropped as ungrounded: %s",
                     conversation_id, len(found.dropped), "; ".join(found.dropped[:5]))
        return merge.result(base, found, lines, conversation_id, ctx.names,
                            summary=options.enable_summary)

    def _ask(self, lines: list[prompt.Line], ctx: Context, summary: bool) -> Found:
        pieces = prompt.pieces(lines, self.piece_characters)
        budget = max(600.0, SECONDS_PER_PIECE * len(pieces))
        deadline = time.monotonic() + budget
        wanted = schema.schema(summary)
        participants = [m["name"] for m in ctx.members if m.get("name")]
        found = Found()
        for number, piece in enumerate(pieces, 1):
            if time.monotonic() > deadline:
                raise EngineUnavailable(f"the chat endpoint took too long: piece {number} of "
                                        f"{len(pieces)} not started after {budget:.0f} s")
            asked = [{"role": "system", "content": prompt.SYSTEM},
                     {"role": "user", "content": prompt.user_prompt(
                         piece, participants, first=number, total=len(pieces),
                         summary=summary)}]
            add_piece(found, ctx, piece, self._answer(asked, wanted, deadline))
        return found

    def _answer(self, asked: list[dict], wanted: dict, deadline: float) -> dict:
        """The answer as valid JSON: asked once more, with the problem, when it is not."""
        content = self.chat.complete(asked, wanted, deadline=deadline)
        try:
            return schema.parse(content, wanted)
        except schema.Invalid as exc:
            problem = str(exc)
        log.info("the model's answer is not the JSON asked for (%s); asking once more", problem)
        again = [*asked, {"role": "assistant", "content": content[:4000]},
                 {"role": "user", "content": prompt.retry_prompt(problem)}]
        content = self.chat.complete(again, wanted, deadline=deadline)
        try:
            return schema.parse(content, wanted)
        except schema.Invalid as exc:
            raise EngineUnavailable(f"the model answered with something other than the JSON "
                                    f"asked for, twice ({exc})") from None


def _lines(messages: list[dict], members: list[dict], start_time: str) -> list[prompt.Line]:
    people = {m.get("id"): m for m in members}
    start = _instant(start_time)
    lines = []
    for message in messages:
        text = message.get("text") or ""
        if not text.strip():
            continue
        raw = message.get("from") or {}
        member = people.get(raw.get("id")) or {}
        speaker = {"id": raw.get("id") or member.get("id") or "",
                   "name": member.get("name") or raw.get("name") or "",
                   "userId": member.get("email") or raw.get("userId") or raw.get("id") or ""}
        when = _instant(message.get("startTime")) or start
        day: date = (when or datetime.now(UTC)).date()
        lines.append(prompt.Line(len(lines) + 1, str(message["id"]), text, speaker, day, when))
    return lines


def _instant(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (when.replace(tzinfo=UTC) if when.tzinfo is None
            else when.astimezone(UTC))


def build(settings: EngineSettings) -> LlmInsights:
    return LlmInsights(settings.endpoint("llm"))


def check(settings: EngineSettings) -> None:
    """Refuse to start without an endpoint URL and a model (EngineError, one line)."""
    endpoint = settings.endpoint("llm")
    if not endpoint.model:
        raise EngineError("the llm insights engine needs a model: give --llm-model NAME or "
                          "set SYMBL_MEDIA_LLM_MODEL")
