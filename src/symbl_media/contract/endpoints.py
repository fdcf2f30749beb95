"""Where each Async, Job and Conversation API call goes, and where its answer is in the reply.

One table for both sides: the client builds its URLs from these routes and reads each reply
under the key named here, and the sandbox registers the same routes with its router and answers
under the same keys. A path is a template whose ``{media}``, ``{cid}``, ``{jid}`` and ``{mid}``
each stand for one path segment; the router reads a segment left as ``{name}`` as a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEGMENT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    # The key of the reply that holds the answer ({"actionItems": [...]}); None when the
    # reply is the answer itself (a conversation, the analytics, the trackers' bare array).
    reply: str | None = None

    def url(self, **segments: str | None) -> str:
        """The path with the given segments put in (the caller encodes them); a segment not
        given (or None: text has no ``{media}``) stays ``{name}``, as the server's router
        wants it."""
        def put(match: re.Match) -> str:
            value = segments.get(match[1])
            return match[0] if value is None else value

        return _SEGMENT.sub(put, self.path)

    @property
    def tail(self) -> str:
        """What follows the conversation id ("action-items"); "" for the conversation itself."""
        return self.path.partition("{cid}")[2].lstrip("/")


# ---------------------------------------------------------------- the token

# Not under /v1; the answer is {"accessToken", "expiresIn"}.
TOKEN = Route("POST", "/oauth2/token:generate", "accessToken")


@dataclass(frozen=True)
class TokenRequestKeys:
    """What ``POST /oauth2/token:generate`` is sent: ``type`` is always ``application``."""

    type: str = "type"
    app_id: str = "appId"
    app_secret: str = "appSecret"


@dataclass(frozen=True)
class TokenKeys:
    access_token: str = "accessToken"
    expires_in: str = "expiresIn"  # seconds


TOKEN_REQUEST = TokenRequestKeys()
TOKEN_REPLY = TokenKeys()
APPLICATION = "application"  # the one token type

# ---------------------------------------------------------------- the Async API

MEDIA = ("audio", "video")  # the {media} of a file or URL submission; text has its own routes
SUBMIT_FILE = Route("POST", "/v1/process/{media}")
APPEND_FILE = Route("PUT", "/v1/process/{media}/{cid}")
SUBMIT_URL = Route("POST", "/v1/process/{media}/url")
APPEND_URL = Route("PUT", "/v1/process/{media}/url/{cid}")
SUBMIT_TEXT = Route("POST", "/v1/process/text")
APPEND_TEXT = Route("PUT", "/v1/process/text/{cid}")


@dataclass(frozen=True)
class SubmittedKeys:
    """What every Async API submission answers: ``{"conversationId", "jobId"}``."""

    conversation_id: str = "conversationId"
    job_id: str = "jobId"


SUBMITTED = SubmittedKeys()

# ---------------------------------------------------------------- the Job API

JOB = Route("GET", "/v1/job/{jid}", "status")
SCHEDULED, IN_PROGRESS, COMPLETED, FAILED = "scheduled", "in_progress", "completed", "failed"
JOB_STATUSES = (SCHEDULED, IN_PROGRESS, COMPLETED, FAILED)
RUNNING = (SCHEDULED, IN_PROGRESS)  # a job that may still change
ENDED = (COMPLETED, FAILED)  # a job that never will

# Our extension of the Job API (docs/sandbox.md, "Waiting for a job"), which Symbl does not
# have: ``GET /v1/job/{jid}?wait=SECONDS`` is held by the server until the job's status is no
# longer the one it had when the request came, or SECONDS pass, then answered as without it.
# A server that honours it says so in the JOB_HELD header of every such reply: the seconds
# it was prepared to hold this request (cut to its own bound, at most JOB_WAIT_MAX), "0" when
# it could not hold it (too many held already, shutting down). No header: a server without
# the extension (Symbl's), which answers at once and is polled on the client's schedule.
JOB_WAIT = "wait"  # the query parameter: a number of seconds, 0 or more
JOB_WAIT_MAX = 20.0  # no server holds a request longer, so a client's read timeout covers it
JOB_HELD = "X-Job-Wait"  # the reply header

# ---------------------------------------------------------------- the Conversation API

CONVERSATIONS = Route("GET", "/v1/conversations", "conversations")
CONVERSATION = Route("GET", "/v1/conversations/{cid}")
UPDATE_CONVERSATION = Route("PUT", "/v1/conversations/{cid}")
DELETE_CONVERSATION = Route("DELETE", "/v1/conversations/{cid}")
MESSAGES = Route("GET", "/v1/conversations/{cid}/messages", "messages")
TOPICS = Route("GET", "/v1/conversations/{cid}/topics", "topics")
ACTION_ITEMS = Route("GET", "/v1/conversations/{cid}/action-items", "actionItems")
FOLLOW_UPS = Route("GET", "/v1/conversations/{cid}/follow-ups", "followUps")
QUESTIONS = Route("GET", "/v1/conversations/{cid}/questions", "questions")
ENTITIES = Route("GET", "/v1/conversations/{cid}/entities", "entities")
MEMBERS = Route("GET", "/v1/conversations/{cid}/members", "members")
SUMMARY = Route("GET", "/v1/conversations/{cid}/summary", "summary")
# trackers-detected answers a bare array; /trackers is the deprecated name the SDK uses.
TRACKERS = Route("GET", "/v1/conversations/{cid}/trackers-detected")
TRACKERS_DEPRECATED = Route("GET", "/v1/conversations/{cid}/trackers")
ANALYTICS = Route("GET", "/v1/conversations/{cid}/analytics")
UPDATE_MEMBER = Route("PUT", "/v1/conversations/{cid}/members/{mid}")

# The lists a conversation has, by the name the client asks for them ("action-items").
INSIGHT_LISTS = {r.tail: r for r in (MESSAGES, TOPICS, ACTION_ITEMS, FOLLOW_UPS, QUESTIONS,
                                     ENTITIES, MEMBERS, SUMMARY)}

# ---------------------------------------------------------------- the sandbox's own

SERVICE = Route("GET", "/")  # {"service": "symbl-media sandbox", ...} from the sandbox
UPLOADS = Route("GET", "/sandbox/conversations/{cid}/uploads", "uploads")
