"""symbl-media-slack: post a summary of each conversation's insights to Slack.

    symbl-media submit call.mkv --sink slack
    symbl-media submit call.mkv --sink slack:#standups,link=https://wiki.example/standups/42

Two ways in, chosen from the environment (see README.md):

  SLACK_WEBHOOK_URL   an incoming webhook; posts to the channel the webhook was made for
  SLACK_BOT_TOKEN     a bot token (chat:write); posts to TARGET, channel=, or SLACK_CHANNEL
  SLACK_CHANNEL       the bot's channel when the sink names none
  SLACK_API_URL       the Web API base (default https://slack.com/api; tests point it elsewhere)

The webhook URL and the token are secrets: neither appears in a message, an exception (nor
its chained cause) or the value ``write`` returns, which says "Slack webhook" or "Slack #chan".
"""

from __future__ import annotations

import json
import os
import re
import time
from urllib.parse import urlsplit

import requests

from symbl_media.errors import SymblMediaError
from symbl_media.plugins import Sink, SinkCall, hookimpl

__version__ = "0.1.0"

NAME = "slack"
DEFAULT_API_URL = "https://slack.com/api"
OPTIONS = ("channel", "link", "title", "via")

# Slack's limits (Block Kit reference, docs.slack.dev): 50 blocks per message; a header's
# plain_text at most 150 characters; a section's text 3000, its fields 10 of 2000 each; the
# top-level text 40000. Lengths are counted in UTF-16 code units, the stricter reading.
MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
MAX_FIELDS = 10
TEXT_MAX = 40000
# Slack also answers msg_blocks_too_long when the blocks together hold about 13,000 characters
# though each is within its own limit, so the whole message is kept under this budget:
MESSAGE_BUDGET = 12000
FALLBACK_MAX = 1000  # the notification text: a line, not the report
LINE_MAX = 300  # one topic, action item or question
BUDGETS = {"summary": 1500, "topics": 1200, "action items": SECTION_MAX, "questions": 2000}

# Every request has a timeout: (connect, read) seconds.
TIMEOUT: tuple[float, float] = (5.0, 20.0)
MAX_ATTEMPTS = 4  # a 429 is retried up to three times...
MAX_RETRY_WAIT = 30.0  # ...when Slack's Retry-After asks for at most this many seconds

AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired",
                         "account_inactive", "invalid_token", "no_service", "missing_scope",
                         "not_allowed_token_type", "ekm_access_denied"})
HINTS = {
    "channel_not_found": "no such channel, or the bot cannot see it",
    "not_in_channel": "invite the bot to the channel first (/invite @your-bot)",
    "missing_scope": "the bot token needs the chat:write scope",
    "no_service": "the webhook is disabled or was removed",
    "channel_is_archived": "the channel is archived",
    "invalid_auth": "the token was refused",
    "invalid_token": "the webhook was refused",
}


class SlackError(SymblMediaError):
    """Slack refused the message (exit 11, like any refusing API)."""

    exit_code = 11


class SlackConfigError(SlackError):
    """The sink's options or environment cannot work (a usage error, exit 2)."""

    exit_code = 2


class SlackAuthError(SlackError):
    """The token or webhook was refused (exit 12, like refused credentials)."""

    exit_code = 12


class SlackUnreachable(SlackError):
    """Slack could not be reached or did not answer in time (exit 13)."""

    exit_code = 13


# --- text ---------------------------------------------------------------------------------

def _size(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units; an emoji may count 2)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """User text for mrkdwn: &, < and > are Slack's control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int, *, escaped: bool = True) -> str:
    """``text`` within ``limit``, ending in "…" when cut; never halves an &amp; escape."""
    if _size(text) <= limit:
        return text
    cut = text[:limit - 1]
    while cut and _size(cut) > limit - 1:
        cut = cut[:-1]
    if escaped:
        amp = cut.rfind("&")
        if amp != -1 and ";" not in cut[amp:]:
            cut = cut[:amp]
    return cut.rstrip() + "…"


def _plain(value) -> str:
    """One line of user text: whitespace (newlines too) folded."""
    return " ".join(str(value or "").split())


def _mrkdwn(value, limit: int = LINE_MAX) -> str:
    return clip(escape(_plain(value)), limit)


def duration_text(seconds: float) -> str:
    if not seconds or seconds <= 0:
        return "unknown"
    whole = round(seconds)
    h, m, s = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _link_label(url: str) -> str:
    """The link's host and path, short: what the reader sees instead of the raw URL."""
    parts = urlsplit(url)
    label = _plain(parts.netloc + parts.path).replace("|", "/") or "open"
    return label if len(label) <= 80 else label[:79] + "…"


def _date(value) -> str:
    text = _plain(value)
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else text[:40]


# --- blocks -------------------------------------------------------------------------------

def _text(kind: str, text: str) -> dict:
    return {"type": kind, "text": text}


def _section(text: str) -> dict:
    return {"type": "section", "text": _text("mrkdwn", clip(text, SECTION_MAX))}


def list_section(title: str, lines: list[str], budget: int = SECTION_MAX) -> dict | None:
    """A section "*Title* (n)" with as many ``lines`` as fit in ``budget`` (≤ 3000), then
    "…and +N more" for the rest. Lines are already escaped and clipped."""
    if not lines:
        return None
    budget = min(budget, SECTION_MAX)
    body = f"*{title}* ({len(lines)})"
    reserve = _size(f"\n…and +{len(lines)} more")
    shown = 0
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        if _size(body) + 1 + _size(line) + (0 if last else reserve) > budget:
            break
        body += "\n" + line
        shown += 1
    if shown < len(lines):
        body += f"\n…and +{len(lines) - shown} more"
    return _section(body)


def clamp_blocks(blocks: list[dict]) -> list[dict]:
    """At most 50 blocks: the last one says how many were left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    dropped = len(blocks) - (MAX_BLOCKS - 1)
    return blocks[:MAX_BLOCKS - 1] + [{"type": "context", "elements": [
        _text("mrkdwn", f"…and +{dropped} more blocks (see the full report)")]}]


def title_of(insights, call: SinkCall) -> str:
    conversation = insights.conversation or {}
    for candidate in (call.options.get("title"), conversation.get("name"), call.name):
        if _plain(candidate) and _plain(candidate) != insights.conversation_id:
            return _plain(candidate)
    return f"Conversation {insights.conversation_id}"


def _speakers(insights) -> list[str]:
    names = list(insights.speakers)
    if not names:
        names = [_plain(m.get("name")) for m in insights.members
                 if isinstance(m, dict) and _plain(m.get("name"))]
    return names


def _action_line(item: dict) -> str:
    line = "• " + _mrkdwn(item.get("text"))
    assignee = item.get("assignee") if isinstance(item.get("assignee"), dict) else {}
    who = _plain(assignee.get("name") or assignee.get("email"))
    if who:
        line += f" — _{clip(escape(who), 80)}_"
    if item.get("dueBy"):
        line += f" · due {escape(_date(item['dueBy']))}"
    return line


def _question_line(item: dict) -> str:
    line = "• " + _mrkdwn(item.get("text"))
    asker = _plain((item.get("from") or {}).get("name")) if isinstance(item.get("from"),
                                                                      dict) else ""
    return line + (f" — _{clip(escape(asker), 80)}_" if asker else "")


def _link_block(link: str | None, conversation_id: str) -> dict:
    if not link:
        return _section(f"*Full report:* `symbl-media insights {escape(conversation_id)}`")
    if re.match(r"^https?://", link, re.IGNORECASE):
        if not urlsplit(link).netloc:
            raise SlackConfigError(f"slack: link= {link[:80]!r} is not a usable URL")
        url = (link.replace(" ", "%20").replace("|", "%7C").replace("<", "%3C")
               .replace(">", "%3E"))
        url = escape(url)
        if _size(url) > FIELD_MAX:
            raise SlackConfigError("slack: link= is longer than 2000 characters")
        return _section(f"*Full report:* <{url}|{escape(_link_label(link))}>")
    path = clip(escape(_plain(link).replace("`", "'")), 500)
    return _section(f"*Full report:* `{path}`")


def build_message(insights, call: SinkCall) -> tuple[str, list[dict]]:
    """The notification text and the Block Kit blocks, within Slack's limits."""
    title = title_of(insights, call)
    speakers = _speakers(insights)
    duration = duration_text(insights.duration)
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text",
                                                       "text": clip(title, HEADER_MAX,
                                                                    escaped=False),
                                                       "emoji": True}}]
    fields = [f"*Duration*\n{duration}",
              f"*Speakers* ({len(speakers)})\n"
              + (clip(escape(", ".join(speakers)), 600) if speakers else "none named")]
    started = (insights.conversation or {}).get("startTime")
    if started:
        fields.append(f"*Started*\n{escape(_plain(started)[:16].replace('T', ' '))}")
    fields.append(f"*Messages*\n{len(insights.messages)}")
    blocks.append({"type": "section", "fields": [_text("mrkdwn", clip(f, FIELD_MAX))
                                                 for f in fields[:MAX_FIELDS]]})
    summary = " ".join(_plain(s.get("text")) for s in insights.summary if isinstance(s, dict))
    if summary:
        blocks.append(_section("*Summary*\n" + clip(escape(summary), BUDGETS["summary"] - 12)))
    topics = [_mrkdwn(t.get("text")) for t in insights.topics if isinstance(t, dict)]
    if topics:
        blocks.append(list_section("Topics", ["• " + t for t in topics], BUDGETS["topics"]))
    items = [_action_line(a) for a in insights.action_items if isinstance(a, dict)]
    blocks.append(list_section("Action items", items, BUDGETS["action items"])
                  or _section("*Action items*: none"))
    questions = [_question_line(q) for q in insights.questions if isinstance(q, dict)]
    if questions:
        blocks.append(list_section("Questions", questions, BUDGETS["questions"]))
    blocks.append(_link_block(call.options.get("link"), insights.conversation_id))
    blocks.append({"type": "context", "elements": [_text(
        "mrkdwn", f"symbl-media · conversation `{escape(insights.conversation_id)}`")]})

    counts = [duration, _count(len(speakers), "speaker"), _count(len(items), "action item"),
              _count(len(questions), "question")]
    fallback = clip(escape(f"{title}: {', '.join(counts)}"), FALLBACK_MAX)
    return fallback, clamp_blocks(blocks)


# --- transport ----------------------------------------------------------------------------

def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return " ".join(text.split())  # one line


def _retry_after(reply: requests.Response) -> float:
    try:
        return max(0.0, float(reply.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _slack_word(text: str) -> str:
    """Slack's error code from a reply body ("no_service"), or "" for anything else."""
    word = text.strip().splitlines()[0].strip() if text.strip() else ""
    return word if re.fullmatch(r"[a-z0-9_]{1,60}", word) else ""


def _failure(what: str, code: str, status: int | None, secrets: tuple[str, ...]) -> SlackError:
    detail = f"HTTP {status}" if status else ""
    if code:
        detail = f"{detail} {code}".strip()
        if code in HINTS:
            detail += f" ({HINTS[code]})"
    kind = SlackAuthError if code in AUTH_ERRORS or status in (401, 403) else SlackError
    return kind(_scrub(f"{what}: {detail or 'refused'}", secrets))


def _post(url: str, payload: dict, *, what: str, headers: dict | None = None,
          secrets: tuple[str, ...] = ()) -> requests.Response:
    """POST JSON with a timeout, honouring 429 Retry-After a few times. Errors are raised
    outside the ``except`` blocks, so no exception mentioning the URL is chained to them."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8",
               "User-Agent": f"symbl-media-slack/{__version__}", **(headers or {})}
    for attempt in range(1, MAX_ATTEMPTS + 1):
        problem = None
        try:
            reply = requests.post(url, data=body, headers=headers, timeout=TIMEOUT,
                                  allow_redirects=False)
        except requests.ConnectTimeout:
            problem = f"could not connect within {TIMEOUT[0]:g} s"
        except requests.Timeout:
            problem = (f"no reply within {TIMEOUT[1]:g} s (the message may or may not have "
                       "been posted)")
        except requests.ConnectionError:
            problem = "could not be reached (connection failed)"
        except requests.RequestException as exc:
            problem = f"request failed ({type(exc).__name__})"
        if problem:
            raise SlackUnreachable(_scrub(f"{what}: {problem}", secrets))
        if reply.status_code != 429:
            return reply
        wait = _retry_after(reply)
        if wait > MAX_RETRY_WAIT:
            raise SlackError(f"{what}: rate limited (HTTP 429); Slack asks to wait {wait:g} s, "
                             "try again later")
        if attempt == MAX_ATTEMPTS:
            raise SlackError(f"{what}: still rate limited (HTTP 429) after {MAX_ATTEMPTS} "
                             "attempts; try again later")
        time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _http_url(value: str, variable: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        # The value may be a secret: name the variable, never echo it.
        raise SlackConfigError(f"slack: {variable} is not an http(s) URL")
    return value


def post_webhook(url: str, text: str, blocks: list[dict]) -> str:
    url = _http_url(url, "SLACK_WEBHOOK_URL")
    what = "Slack webhook"
    reply = _post(url, {"text": text, "blocks": blocks}, what=what, secrets=(url,))
    if 200 <= reply.status_code < 300:
        return what
    raise _failure(what, _slack_word(reply.text), reply.status_code, (url,))


def post_bot(token: str, channel: str, text: str, blocks: list[dict]) -> str:
    base = _http_url(os.environ.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL,
                     "SLACK_API_URL").rstrip("/")
    what = f"Slack chat.postMessage to {channel}"
    reply = _post(f"{base}/chat.postMessage",
                  {"channel": channel, "text": text, "blocks": blocks}, what=what,
                  headers={"Authorization": f"Bearer {token}"}, secrets=(token,))
    try:
        answer = reply.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        if reply.status_code == 200:
            raise SlackError(f"{what}: HTTP 200 but the reply was not JSON")
        raise _failure(what, _slack_word(reply.text), reply.status_code, (token,))
    if reply.status_code == 200 and answer.get("ok") is True:
        return f"Slack {channel}"
    code = answer.get("error") if isinstance(answer.get("error"), str) else ""
    code = code if re.fullmatch(r"[a-z0-9_]{1,60}", code or "") else ""
    raise _failure(what, code, None if reply.status_code == 200 else reply.status_code,
                   (token,))


def write(insights, call: SinkCall) -> str:
    """The sink: post ``insights`` to Slack; returns "Slack webhook" or "Slack <channel>"."""
    unknown = sorted(set(call.options) - set(OPTIONS))
    if unknown:
        raise SlackConfigError(f"slack: unknown option {unknown[0]!r} (known: "
                               f"{', '.join(OPTIONS)})")
    if call.target == "-":
        raise SlackConfigError("slack: '-' (standard output) is not a Slack channel")
    via = (call.options.get("via") or "").strip().lower() or None
    if via not in (None, "webhook", "bot"):
        raise SlackConfigError(f"slack: via={via!r}: use via=webhook or via=bot")
    webhook = os.environ.get("SLACK_WEBHOOK_URL", "").strip()
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    named = (call.target or call.options.get("channel") or "").strip()
    channel = named or os.environ.get("SLACK_CHANNEL", "").strip()

    use_webhook = via == "webhook" or (via is None and bool(webhook)
                                       and not (token and named))
    if use_webhook:
        if not webhook:
            raise SlackConfigError("slack: via=webhook needs SLACK_WEBHOOK_URL")
        if named:
            raise SlackConfigError(
                f"slack: an incoming webhook posts only to the channel it was made for; to "
                f"post to {named[:80]} set SLACK_BOT_TOKEN (or leave the channel out)")
    elif not token:
        raise SlackConfigError("slack: set SLACK_WEBHOOK_URL (an incoming webhook) or "
                               "SLACK_BOT_TOKEN (a bot token, with a channel)")
    elif not channel:
        raise SlackConfigError("slack: which channel? use --sink slack:#channel, channel=..., "
                               "or SLACK_CHANNEL")

    text, blocks = build_message(insights, call)
    if use_webhook:
        return post_webhook(webhook, text, blocks)
    return post_bot(token, channel, text, blocks)


@hookimpl
def register_sinks(register):
    register(Sink(NAME, write, "a summary in a Slack channel (incoming webhook or bot token): "
                               "title, duration, speakers, topics, action items, questions"))
