"""symbl-media plugin: the ``notion`` sink writes a conversation's insights to a Notion page.

    --sink notion:PARENT_PAGE_ID                 a new page under that page
    --sink notion:database=DATABASE_ID           a new row (page) in that database
           ,title_property=Meeting               the database's title property (default Name)
           ,title=Weekly sync                    the page title (default: the conversation's name)

The page holds the meeting report as blocks: a heading, a line with date, duration and
speakers, the summary, topics, action items (to-do blocks with assignee and due date),
questions, follow-ups and the transcript (``[hh:mm:ss] Name: text``).

Notion's request limits are kept on our side (https://developers.notion.com/reference/
request-limits, .../patch-block-children): at most 100 blocks per request (the page is created
with the first 100, the rest appended in order), every rich-text ``text.content`` at most 2,000
characters (counted as Notion counts them, in UTF-16 code units), at most 100 rich-text items
per block, and each request well under the 500 KB payload limit.

Environment: ``NOTION_TOKEN`` (the integration's secret, required), ``NOTION_API_URL`` (the
API's base URL, default https://api.notion.com; tests point it at a local stand-in).
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime
from urllib.parse import quote

import requests

from symbl_media.errors import ApiError, AuthError, SymblMediaError, Unreachable
from symbl_media.plugins import Sink, SinkCall, hookimpl

__version__ = "0.1.0"

API_URL = "https://api.notion.com"
NOTION_VERSION = "2022-06-28"

# Notion's limits (request-limits and append-block-children reference pages).
MAX_CHILDREN = 100          # blocks in one create-page or append request
MAX_TEXT = 2000             # characters (UTF-16 code units) in one rich_text text.content
MAX_RICH_TEXT = 100         # rich_text items in one block
MAX_PAYLOAD = 500_000       # bytes in one request body (Notion: 500 KB)
# Ours, so that any single block fits a request whatever its characters (<= 6 bytes of JSON
# per code unit): a block carries at most this much text and then continues in a paragraph.
BLOCK_TEXT = 40_000
REQUEST_BUDGET = 400_000    # bytes of children we put in one request, below MAX_PAYLOAD

TIMEOUT = (10, 60)          # seconds to connect, seconds to wait for each reply
RATE_LIMIT_TRIES = 5        # attempts of one request while Notion answers 429
MAX_RETRY_AFTER = 60        # seconds we are willing to wait for one Retry-After

DEFAULT_TITLE_PROPERTY = "Name"
OPTIONS = ("page", "database", "title", "title_property")


class NotionError(SymblMediaError):
    """Anything the notion sink raises."""


class NotionSetupError(NotionError):
    """No token, or a --sink notion:... that does not name a page or database."""

    exit_code = 2


class NotionApiError(NotionError, ApiError):
    """Notion refused a request; the message carries Notion's error code and message."""

    exit_code = 11


class NotionAuthError(NotionApiError, AuthError):
    """Notion refused the token (401)."""

    exit_code = 12


class NotionUnreachable(NotionError, Unreachable):
    """Notion could not be reached or did not answer in time."""

    exit_code = 13


# --- the target ---------------------------------------------------------------------------

_KEY_VALUE = re.compile(r"^\s*([a-z_]+)\s*=(.*)$")
_UUID_TAIL = re.compile(r"([0-9a-fA-F]{32})$")


def notion_id(text: str, what: str) -> str:
    """A page or database id as Notion writes it (8-4-4-4-12), from an id with or without
    dashes or from the page's URL (``https://www.notion.so/Title-<32 hex>?v=...``)."""
    raw = text.strip()
    tail = raw.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    found = _UUID_TAIL.search(tail.replace("-", ""))
    if not found:
        raise NotionSetupError(f"notion: {raw!r} is not a Notion {what} id (32 hex digits, "
                               f"with or without dashes, or the {what}'s URL)")
    h = found.group(1).lower()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def parse_call(call: SinkCall) -> dict:
    """``{"parent": {...}, "title_property": str | None, "title": str | None}`` from the
    ``--sink notion:...`` the host parsed. ``database=ID`` may arrive as the TARGET or as an
    option, depending on how it was written."""
    options = {k.strip(): v.strip() for k, v in (call.options or {}).items()}
    target = (call.target or "").strip() or None
    written = _KEY_VALUE.match(target or "")
    if written:  # database=ID written where the TARGET goes (not a URL's ?v=...)
        key, value = written.group(1), written.group(2)
        if key in options:
            raise NotionSetupError(f"notion: {key}= is given twice")
        options[key] = value.strip()
        target = None
    if target == "-":
        raise NotionSetupError("notion: the sink writes to Notion, not standard output; give "
                               "notion:PARENT_PAGE_ID or notion:database=DATABASE_ID")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise NotionSetupError(f"notion: unknown option {', '.join(unknown)} (known: "
                               f"{', '.join(OPTIONS)})")
    page = options.get("page") or target
    database = options.get("database")
    if page and database:
        raise NotionSetupError("notion: give a parent page or database=, not both")
    if not page and not database:
        raise NotionSetupError("notion: say where the page goes: notion:PARENT_PAGE_ID or "
                               "notion:database=DATABASE_ID")
    if page and "title_property" in options:
        raise NotionSetupError("notion: title_property= applies to database= only (a page "
                               "under a page has just a title)")
    if database:
        parent = {"database_id": notion_id(database, "database")}
        title_property = options.get("title_property") or DEFAULT_TITLE_PROPERTY
    else:
        parent = {"page_id": notion_id(page, "page")}
        title_property = None
    return {"parent": parent, "title_property": title_property,
            "title": options.get("title") or None}


# --- rich text and blocks -----------------------------------------------------------------

def _units(ch: str) -> int:
    """UTF-16 code units of one character: Notion measures text.content that way."""
    return 2 if ord(ch) > 0xFFFF else 1


def _clean(text) -> str:
    """A string that can be sent as UTF-8 JSON (lone surrogates become U+FFFD)."""
    text = "" if text is None else str(text)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 code units whose concatenation is ``text``, cut after
    whitespace when there is some in the second half of a piece, never inside a character."""
    pieces: list[str] = []
    start, n = 0, len(text)
    while start < n:
        end, units, cut = start, 0, None
        while end < n:
            w = _units(text[end])
            if units + w > limit:
                break
            units += w
            end += 1
            if text[end - 1].isspace():
                cut = end
        if end < n and cut is not None and (cut - start) * 2 > end - start:
            end = cut
        pieces.append(text[start:end])
        start = end
    return pieces


def rich_text(segments) -> list[dict]:
    """Rich-text items from ``(text, annotations)`` segments, each item within MAX_TEXT."""
    items = []
    for text, style in segments:
        for piece in split_text(_clean(text)):
            item = {"type": "text", "text": {"content": piece}}
            if style:
                item["annotations"] = dict(style)
            items.append(item)
    return items


def _block(kind: str, items: list[dict], **extra) -> dict:
    return {"object": "block", "type": kind, kind: {"rich_text": items, **extra}}


def blocks_for(kind: str, segments, **extra) -> list[dict]:
    """One block of ``kind`` holding ``segments``; text beyond a block's limits (MAX_RICH_TEXT
    items, BLOCK_TEXT characters) continues in the paragraphs that follow it."""
    items = rich_text(segments)
    groups: list[list[dict]] = [[]]
    size = 0
    for item in items:
        n = len(item["text"]["content"])
        if groups[-1] and (len(groups[-1]) == MAX_RICH_TEXT or size + n > BLOCK_TEXT):
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += n
    out = [_block(kind, groups[0], **extra)]
    out.extend(_block("paragraph", group) for group in groups[1:])
    return out


PLAIN = None
BOLD = {"bold": True}
ITALIC = {"italic": True}


def hms(seconds: float) -> str:
    whole = int(max(seconds, 0))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _when(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))  # 3.11 reads "Z" and fractions
    except ValueError:
        return None


def _date(value) -> str:
    moment = _when(value)
    if moment is None:
        return str(value) if value else "unknown"
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


def _text(item) -> str:
    if isinstance(item, dict):
        return " ".join(str(item.get("text") or "").split())
    return " ".join(str(item).split())


def _who_and_when(item) -> str:
    """The " — Alice, due 2024-05-03" after an action item or follow-up ("" for neither)."""
    if not isinstance(item, dict):
        return ""
    parts = []
    assignee = item.get("assignee")
    name = assignee.get("name") if isinstance(assignee, dict) else assignee
    if name:
        parts.append(str(name))
    if item.get("dueBy"):
        parts.append(f"due {str(item['dueBy'])[:10]}")
    return " — " + ", ".join(parts) if parts else ""


def _transcript_line(message: dict, origin: datetime | None) -> list:
    who = (message.get("from") or {}).get("name") or (message.get("from") or {}).get(
        "userId") or "Unknown speaker"
    try:
        offset = float(message["timeOffset"]) if message.get("timeOffset") is not None else None
    except (TypeError, ValueError):
        offset = None
    if offset is None and origin is not None:
        start = _when(message.get("startTime"))
        if start is not None and (start.tzinfo is None) == (origin.tzinfo is None):
            offset = (start - origin).total_seconds()
    stamp = f"[{hms(offset)}] " if offset is not None else ""
    return [(stamp, PLAIN), (str(who), BOLD), (": " + str(message.get("text") or ""), PLAIN)]


def title_of(insights, call: SinkCall, wanted: str | None = None) -> str:
    title = (wanted or (insights.conversation or {}).get("name") or call.name
             or f"Conversation {insights.conversation_id}")
    title = " ".join(_clean(title).split())
    return split_text(title)[0] if title else "Meeting"


def page_blocks(insights, title: str) -> list[dict]:
    """The meeting report, in page order."""
    conversation = insights.conversation or {}
    speakers = insights.speakers
    out = blocks_for("heading_1", [(title, PLAIN)])
    out += blocks_for("paragraph", [
        ("Date: ", BOLD), (_date(conversation.get("startTime")), PLAIN), (" · ", PLAIN),
        ("Duration: ", BOLD), (hms(insights.duration), PLAIN), (" · ", PLAIN),
        ("Speakers: ", BOLD), (", ".join(speakers) if speakers else "none named", PLAIN)])
    for note in getattr(insights, "notes", ()) or ():
        out += blocks_for("paragraph", [(f"Note: {note}", ITALIC)])

    def section(heading: str, items, kind: str, with_people: bool = False, **extra) -> None:
        texts = [(item, _text(item)) for item in items]
        texts = [(item, text) for item, text in texts if text]
        if not texts:
            return
        out.extend(blocks_for("heading_2", [(heading, PLAIN)]))
        for item, text in texts:
            segments = [(text, PLAIN)]
            if with_people and _who_and_when(item):
                segments.append((_who_and_when(item), ITALIC))
            out.extend(blocks_for(kind, segments, **extra))

    section("Summary", insights.summary, "paragraph")
    section("Topics", insights.topics, "bulleted_list_item")
    section("Action items", insights.action_items, "to_do", with_people=True, checked=False)
    section("Questions", insights.questions, "bulleted_list_item")
    section("Follow-ups", insights.follow_ups, "bulleted_list_item", with_people=True)
    if insights.messages:
        out += blocks_for("heading_2", [("Transcript", PLAIN)])
        origin = _when(conversation.get("startTime")) or _when(
            (insights.messages[0] or {}).get("startTime"))
        for message in insights.messages:
            out += blocks_for("paragraph", _transcript_line(message, origin))
    return out


def _size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def batches(blocks: list[dict], first_overhead: int = 0) -> list[list[dict]]:
    """Consecutive runs of at most MAX_CHILDREN blocks and REQUEST_BUDGET bytes (the first
    run also carries the page's parent and properties, ``first_overhead`` bytes)."""
    runs: list[list[dict]] = [[]]
    used = first_overhead
    for block in blocks:
        n = _size(block) + 1
        if runs[-1] and (len(runs[-1]) == MAX_CHILDREN or used + n > REQUEST_BUDGET):
            runs.append([])
            used = 0
        runs[-1].append(block)
        used += n
    return runs


# --- HTTP ---------------------------------------------------------------------------------

def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class NotionClient:
    """The few calls the sink makes. The token goes in one header and nowhere else: every
    message built here is scrubbed of it."""

    def __init__(self, token: str, base_url: str | None = None,
                 session: requests.Session | None = None) -> None:
        self._token = token
        base = (base_url or API_URL).rstrip("/")
        self.base_url = base.removesuffix("/v1")
        self.session = session or requests.Session()

    def __repr__(self) -> str:
        return f"NotionClient({self.base_url!r})"

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "[NOTION_TOKEN]") if self._token else text

    def request(self, method: str, path: str, body: dict, what: str) -> dict:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Authorization": f"Bearer {self._token}", "Notion-Version": NOTION_VERSION,
                   "Content-Type": "application/json; charset=utf-8",
                   "Accept": "application/json"}
        url = self.base_url + path
        for attempt in range(1, RATE_LIMIT_TRIES + 1):
            problem = None
            try:
                reply = self.session.request(method, url, data=data, headers=headers,
                                             timeout=TIMEOUT)
            except requests.Timeout:
                problem = (f"Notion did not answer within {TIMEOUT[1]} s while {what}"
                           + ("; the page may have been created anyway, look under its "
                              "parent before trying again" if method == "POST" else ""))
            except requests.RequestException as exc:
                problem = (f"cannot reach Notion at {self.base_url} while {what} "
                           f"({type(exc).__name__})")
            if problem is not None:
                # Raised outside the except block: no chained exception (whose request holds
                # the Authorization header) travels with it.
                raise NotionUnreachable(self._scrub(problem), maybe_sent=method == "POST")
            if 200 <= reply.status_code < 300:
                try:
                    return reply.json()
                except ValueError:
                    raise NotionApiError(reply.status_code, "the reply is not JSON",
                                         what=f"Notion, {what}") from None
            note = ""
            if reply.status_code == 429:
                wait = _retry_after(reply.headers.get("Retry-After"), attempt)
                if attempt < RATE_LIMIT_TRIES and wait <= MAX_RETRY_AFTER:
                    time.sleep(wait)
                    continue
                note = (f" (Notion asks to wait {wait:g} s, more than {MAX_RETRY_AFTER} s)"
                        if wait > MAX_RETRY_AFTER else
                        f" (still rate limited after {attempt} tries)")
            raise self._error(reply, what, note)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _error(self, reply: requests.Response, what: str, note: str = "") -> NotionApiError:
        code, message = "", ""
        try:
            body = reply.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            code = str(body.get("code") or "")
            message = str(body.get("message") or "")
        if not message:
            message = reply.text.strip().splitlines()[0] if reply.text.strip() else reply.reason
        text = _one_line(self._scrub(f"{code}: {message}" if code else str(message))) + note
        kind = NotionAuthError if reply.status_code == 401 else NotionApiError
        if reply.status_code == 401:
            text += " (check NOTION_TOKEN)"
        return kind(reply.status_code, text, what=self._scrub(f"Notion, {what}"))

    def create_page(self, body: dict) -> dict:
        return self.request("POST", "/v1/pages", body, "creating the page")

    def append(self, page_id: str, children: list[dict], what: str) -> dict:
        return self.request("PATCH", f"/v1/blocks/{quote(page_id, safe='-')}/children",
                            {"children": children}, what)


def _retry_after(value, attempt: int) -> float:
    """Seconds to wait: Retry-After (seconds) when Notion gives it, else 1, 2, 4..."""
    try:
        seconds = float(value)
        if seconds >= 0:
            return seconds
    except (TypeError, ValueError):
        pass
    return float(2 ** (attempt - 1))


# --- the sink -----------------------------------------------------------------------------

def write(insights, call: SinkCall) -> str:
    """Create the page; returns ``"Notion page <url>"`` (the id when Notion gives no URL)."""
    where = parse_call(call)
    token = os.environ.get("NOTION_TOKEN", "").strip()
    if not token:
        raise NotionSetupError("notion: NOTION_TOKEN is not set (the internal integration "
                               "secret; share the parent page or database with the integration)")
    client = NotionClient(token, os.environ.get("NOTION_API_URL") or None)
    title = title_of(insights, call, where["title"])
    key = where["title_property"] or "title"
    page = {"parent": where["parent"],
            "properties": {key: {"title": rich_text([(title, PLAIN)])}}}
    blocks = page_blocks(insights, title)
    runs = batches(blocks, first_overhead=_size(page) + 32)
    with client.session:
        created = client.create_page({**page, "children": runs[0]})
        created = created if isinstance(created, dict) else {}
        page_id = str(created.get("id") or "")
        shown = str(created.get("url") or page_id)
        if not page_id:
            raise NotionApiError(200, "the created page has no id", what="Notion, creating "
                                 "the page")
        done = len(runs[0])
        for run in runs[1:]:
            what = (f"adding blocks {done + 1}-{done + len(run)} of {len(blocks)} to page "
                    f"{shown} (the page exists but is incomplete)")
            client.append(page_id, run, what)
            done += len(run)
    return f"Notion page {shown}"


@hookimpl
def register_sinks(register):
    register(Sink("notion", write, "a Notion page with the meeting report, under a parent page "
                                   "or in a database (NOTION_TOKEN)"))
