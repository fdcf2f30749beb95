"""The Async, Job and Conversation API calls the pipeline makes, with typed answers."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from symbl_media.client.settings import Settings
from symbl_media.client.transport import Transport, tuning
from symbl_media.contract import endpoints as api
from symbl_media.errors import ApiError, Interrupted, InvalidArgument

# What an id may be before it goes into a URL path. Symbl's conversation ids are digits and
# its job and member ids UUIDs; other services' ids of letters, digits, "-" and "_" pass too.
# Never "/", ".", "%", "?", "#", spaces or an empty string: "../conversations/1" as a job id
# would otherwise fetch another resource, and "" would ask for "/v1/job/".
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,200}")
_ID_SHAPES = {"conversation": "digits", "job": "UUIDs", "member": "UUIDs"}


def check_id(value, kind: str = "conversation") -> str:
    """``value`` as an id that may go into a URL path, else InvalidArgument (exit 2) saying
    why, before anything is sent. ``kind``: "conversation", "job" or "member"."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str):
        raise InvalidArgument(f"a {kind} id must be a string, not {type(value).__name__}")
    if not text:
        raise InvalidArgument(f"the {kind} id is empty")
    if not _SAFE_ID.fullmatch(text):
        shown = repr(text) if len(text) <= 60 else repr(text[:60]) + "..."
        shape = _ID_SHAPES.get(kind, "UUIDs")
        raise InvalidArgument(f"{shown} is not a {kind} id: ids are up to 200 letters, digits, "
                              f"'-' and '_' (Symbl's {kind} ids are {shape})")
    return text


def _segment(value, kind: str) -> str:
    """A checked id as one URL path segment (percent-encoded too, should the check ever let
    more through)."""
    return quote(check_id(value, kind), safe="")


@dataclass(frozen=True)
class Submission:
    conversation_id: str
    job_id: str


def query_value(value) -> str:
    """How file uploads carry options: booleans as true/false, lists and objects as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


class SymblClient:
    def __init__(self, settings: Settings, transport: Transport | None = None, *,
                 job_wait: float | None = None) -> None:
        """``job_wait``: seconds a job poll asks the server to hold it (SYMBL_MEDIA_JOB_WAIT,
        default 20; 0: the schedule alone, as before the extension)."""
        self.settings = settings
        self.transport = transport or Transport(settings)
        if job_wait is None:
            job_wait = tuning("SYMBL_MEDIA_JOB_WAIT")
        self.job_wait = min(float(job_wait), api.JOB_WAIT_MAX)
        self._holds: bool | None = None  # does the server hold job polls? (None: not known)

    def _submission(self, reply, what: str) -> Submission:
        keys = api.SUBMITTED
        if not (isinstance(reply, dict) and reply.get(keys.conversation_id)
                and reply.get(keys.job_id)):
            raise ApiError(200, f"unexpected reply {str(reply)[:120]}", what=what)
        return Submission(str(reply[keys.conversation_id]), str(reply[keys.job_id]))

    def submit_file(self, path: Path, *, media: str = "audio", options: dict | None = None,
                    content_type: str | None = None, conversation_id: str | None = None,
                    on_bytes: Callable[[int, int], None] | None = None) -> Submission:
        """POST a recording, or PUT it onto ``conversation_id``; streamed from the file."""
        route = _submission_route(api.SUBMIT_FILE, api.APPEND_FILE, media, conversation_id)
        params = {k: query_value(v) for k, v in (options or {}).items()}
        what = f"{'appending' if conversation_id else 'submitting'} {path.name}"
        reply = self.transport.call(*route, params=params,
                                    file=path, content_type=content_type, submission=True,
                                    what=what, on_bytes=on_bytes)
        return self._submission(reply, what)

    def submit_url(self, url: str, *, media: str = "audio", options: dict | None = None,
                   conversation_id: str | None = None) -> Submission:
        route = _submission_route(api.SUBMIT_URL, api.APPEND_URL, media, conversation_id)
        reply = self.transport.call(*route,
                                    json={"url": url, **(options or {})}, submission=True,
                                    what=f"submitting {_redact(url)}")
        return self._submission(reply, "submitting a URL")

    def submit_text(self, payload: dict, *, conversation_id: str | None = None) -> Submission:
        route = _submission_route(api.SUBMIT_TEXT, api.APPEND_TEXT, None, conversation_id)
        reply = self.transport.call(*route, json=payload,
                                    submission=True, what="submitting text")
        return self._submission(reply, "submitting text")

    def job_status(self, job_id: str) -> str:
        return self._poll(job_id, 0.0)[0]

    def _poll(self, job_id: str, wait: float) -> tuple[str, float | None]:
        """The job's status, and how long the server was prepared to hold the request
        (``wait`` > 0 asks it to, our server's extension): None from a server without the
        extension, 0 when it could not hold this one."""
        path = api.JOB.url(jid=_segment(job_id, 'job'))
        params = {api.JOB_WAIT: f"{wait:g}"} if wait > 0 else None
        answer = self.transport.answer(api.JOB.method, path, params=params, held=wait,
                                       what=f"job {job_id}")
        reply = answer.body
        status = reply.get(api.JOB.reply) if isinstance(reply, dict) else None
        if status not in api.JOB_STATUSES:
            expected = ", ".join(api.JOB_STATUSES)
            if isinstance(reply, dict) and api.JOB.reply in reply:
                problem = f"unknown job status {status!r} (expected {expected})"
            else:
                problem = f"the reply holds no job status (expected {expected}): {_shown(reply)}"
            raise ApiError(200, problem, what=f"job {job_id}")
        return status, _seconds(answer.headers.get(api.JOB_HELD)) if wait > 0 else None

    def wait(self, job_id: str, *, timeout: float | None = None,
             on_status: Callable[[str], None] | None = None, poll: float = 0.5,
             max_poll: float = 5.0, sleep: Callable[[float], None] = time.sleep,
             stop: Callable[[], bool] | None = None) -> str:
        """Until the job ends. Each poll asks the server to hold it until the status changes
        (``job_wait`` seconds at most; our server's extension, docs/client.md), and the next
        is sent as soon as the answer comes. A server that does not hold it (Symbl, or ours
        when it holds as many as it will) is polled on a schedule: after ``poll`` seconds,
        then 1.3 times longer each time, up to ``max_poll``.

        ``stop()`` returning true ends the wait early with ``Interrupted``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        last = None
        while True:
            if stop is not None and stop():
                raise Interrupted(f"stopped waiting for job {job_id}")
            hold = self.job_wait if self._holds is not False else 0.0
            if deadline is not None:
                hold = max(0.0, min(hold, deadline - time.monotonic()))
            try:
                status, held = self._poll(job_id, hold)
            except ApiError as exc:
                if not (hold > 0 and self._holds is None and exc.status == 400):
                    raise
                self._holds = False  # a server that refuses the parameter: never sent again
                continue
            if hold > 0 and self._holds is None:
                # The first answer says whether this server has the extension at all; one
                # without it is not asked again (nothing it would do with the parameter).
                self._holds = held is not None
            if status != last and on_status is not None:
                on_status(status)
            last = status
            if status in api.ENDED:
                return status
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} is still {status} after {timeout:.0f} s")
            if held:  # held until it changed or the wait ran out: ask again at once
                continue
            slept = 0.0
            while slept < poll and not (stop is not None and stop()):
                sleep(min(0.2, poll - slept))
                slept += 0.2
            poll = min(max_poll, poll * 1.3)

    def conversation(self, conversation_id: str) -> dict:
        return self.transport.call(api.CONVERSATION.method,
                                   _conversation_path(api.CONVERSATION, conversation_id),
                                   what=f"conversation {conversation_id}")

    def insight(self, conversation_id: str, kind: str, **params) -> list:
        """One Conversation API list (messages, topics, action-items, ...)."""
        route = api.INSIGHT_LISTS[kind]
        reply = self.transport.call(route.method, _conversation_path(route, conversation_id),
                                    params={k: query_value(v) for k, v in params.items()},
                                    what=f"{kind} of {conversation_id}")
        return reply.get(route.reply, []) if isinstance(reply, dict) else []

    def trackers(self, conversation_id: str) -> list:
        reply = self.transport.call(api.TRACKERS.method,
                                    _conversation_path(api.TRACKERS, conversation_id),
                                    what="trackers")
        return reply if isinstance(reply, list) else []

    def conversations(self, limit: int = 50) -> list[dict]:
        reply = self.transport.call(api.CONVERSATIONS.method, api.CONVERSATIONS.path,
                                    params={"limit": str(limit), "order": "desc"},
                                    what="listing conversations")
        found = reply.get(api.CONVERSATIONS.reply) if isinstance(reply, dict) else None
        return found if isinstance(found, list) else []

    def tells_receipts(self) -> bool:
        """Whether the service can list what a conversation received (only the sandbox)."""
        if not hasattr(self, "_tells_receipts"):
            # Retried like any read: a service that is down for a moment must not be taken
            # for one that cannot tell (that would stop a run the sandbox could settle).
            try:
                info = self.transport.call(api.SERVICE.method, api.SERVICE.path,
                                           what="asking what the service is")
            except ApiError:  # any refusal, and any answer but the sandbox's, is "no"
                info = {}
            except ValueError:  # not JSON
                info = {}
            self._tells_receipts = (isinstance(info, dict)
                                    and info.get("service") == "symbl-media sandbox")
        return self._tells_receipts

    def receipts(self, conversation_id: str) -> list[dict] | None:
        """What the service received for a conversation, in order, with sha256 per body.

        Only the sandbox can say (``/sandbox/conversations/{id}/uploads``); ``None`` from a
        service that cannot, which is how the real Symbl answers.
        """
        try:
            reply = self.transport.call(api.UPLOADS.method,
                                        _conversation_path(api.UPLOADS, conversation_id),
                                        what="checking what arrived")
        except ApiError as exc:
            if 400 <= exc.status < 500:
                return None
            raise
        found = reply.get(api.UPLOADS.reply) if isinstance(reply, dict) else None
        return found if isinstance(found, list) else None

    def update_member(self, conversation_id: str, member: dict) -> None:
        path = _conversation_path(api.UPDATE_MEMBER, conversation_id,
                                  mid=_segment(member["id"], "member"))
        self.transport.call(api.UPDATE_MEMBER.method, path, json=member,
                            what="merging speakers")

    def analytics(self, conversation_id: str) -> dict:
        return self.transport.call(api.ANALYTICS.method,
                                   _conversation_path(api.ANALYTICS, conversation_id),
                                   what="analytics")


def _conversation_path(route: api.Route, conversation_id, **segments: str) -> str:
    return route.url(cid=_segment(conversation_id, "conversation"), **segments)


def _submission_route(submit: api.Route, append: api.Route, media: str | None,
                      conversation_id) -> tuple[str, str]:
    """The method and path of a submission: POST a new conversation, or PUT onto one."""
    if conversation_id is None:
        return submit.method, submit.url(media=media)
    return append.method, append.url(media=media, cid=_segment(conversation_id,
                                                                "conversation"))


def _seconds(header: str | None) -> float | None:
    """The JOB_HELD header's seconds; None when there is none (or it is not a number)."""
    try:
        value = float(header) if header is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def _shown(reply) -> str:
    """A reply as one short line for a message."""
    try:
        text = json.dumps(reply, ensure_ascii=False, separators=(", ", ": "))
    except (TypeError, ValueError):
        text = repr(reply)
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def _redact(url: str) -> str:
    from symbl_media.redaction import redact

    return redact(url)
