"""The Conversation API: the conversation, its messages, insights, members; list and delete."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from symbl_media.contract import endpoints as api
from symbl_media.server import ids
from symbl_media.server.http import HttpRequest, Refusal, Reply
from symbl_media.server.routes_async import NO_CONVERSATION
from symbl_media.server.store import started

# The lists stored as they are answered: the stored insights keep each under its reply key.
STORED_LISTS = (api.ACTION_ITEMS, api.FOLLOW_UPS, api.QUESTIONS, api.ENTITIES)


def routes(app) -> None:
    def add(route: api.Route, handler) -> None:
        app.router.add(route.method, route.path, handler)

    add(api.CONVERSATIONS, lambda q: _list(app, q))
    add(api.CONVERSATION, lambda q: Reply(200, conversation_json(app, _conv(app, q))))
    add(api.UPDATE_CONVERSATION, lambda q: _update(app, q))
    add(api.DELETE_CONVERSATION, lambda q: _delete(app, q))
    add(api.MESSAGES, lambda q: _messages(app, q))
    for route in STORED_LISTS:
        add(route, lambda q, key=route.reply: Reply(200, {key: _insights(app, q).get(key, [])}))
    add(api.TOPICS, lambda q: _topics(app, q))
    # Both answer a top-level array (the contract's TRACKERS and its deprecated name).
    for route in (api.TRACKERS, api.TRACKERS_DEPRECATED):
        add(route, lambda q: Reply(200, _insights(app, q).get("trackers", [])))
    add(api.ANALYTICS, lambda q: Reply(200, _insights(app, q).get("analytics",
                                                                   {"metrics": [],
                                                                    "members": []})))
    add(api.SUMMARY, lambda q: _summary(app, q))
    add(api.MEMBERS, lambda q: Reply(200, {api.MEMBERS.reply: _members(app, q)}))
    add(api.UPDATE_MEMBER, lambda q: _put_member(app, q))


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}Z"


def _conv(app, request: HttpRequest) -> dict:
    cid = request.params["cid"]
    conv = app.store.conversation(cid) if ids.is_conversation_id(cid) else None
    if conv is None:
        raise Refusal(404, NO_CONVERSATION)
    return conv


def _member_json(m: dict) -> dict:
    out = {"id": m["id"], "name": m["name"]}
    if m.get("email"):
        out["email"] = m["email"]
    return out


def conversation_json(app, conv: dict) -> dict:
    start = started(conv)
    return {"id": conv["id"], "type": "meeting", "name": conv["name"], "startTime": iso(start),
            "endTime": iso(start + timedelta(seconds=conv["duration"])),
            "members": [_member_json(m) for m in app.store.members(conv["id"])],
            "metadata": json.loads(conv["metadata"] or "{}")}


def _list(app, request: HttpRequest) -> Reply:
    try:
        limit = int(request.arg("limit") or 20)
        offset = int(request.arg("offset") or 0)
    except ValueError:
        raise Refusal(400, '"limit" and "offset" must be integers') from None
    if not 0 <= limit <= 65536 or not 0 <= offset < 2**63:  # SQLite's integers
        raise Refusal(400, '"limit" must be between 0 and 65536 and "offset" between 0 and '
                           '9223372036854775807')
    order = (request.arg("order") or "desc").lower()
    if order not in ("asc", "desc"):
        raise Refusal(400, '"order" must be one of [asc, desc]')
    rows = app.store.conversations(limit, offset, order == "desc")
    return Reply(200, {api.CONVERSATIONS.reply: [conversation_json(app, c) for c in rows]})


def _update(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    body = request.read_json()
    if not isinstance(body, dict):
        raise Refusal(400, '"value" must be of type object')
    fields = {}
    if "name" in body:
        if not isinstance(body["name"], str):
            raise Refusal(400, '"name" must be a string')
        fields["name"] = body["name"]
    if "metadata" in body:
        if not isinstance(body["metadata"], dict):
            raise Refusal(400, '"metadata" must be of type object')
        fields["metadata"] = json.dumps({**json.loads(conv["metadata"]), **body["metadata"]})
    if fields:
        app.store.update_conversation(conv["id"], **fields)
    return Reply(200, conversation_json(app, app.store.conversation(conv["id"])))


def _delete(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    for upload in app.store.delete_conversation(conv["id"]):
        app.remove_upload(upload)
    return Reply(200, {"message": "successfully deleted the conversation"})


def message_json(app, conv: dict, row: dict, members: dict, *, verbose: bool,
                 sentiment: bool, phrases: bool) -> dict:
    start = started(conv)
    member = members.get(row["member_id"])
    out = {"id": row["id"], "text": row["text"], "from": _member_json(member) if member else {},
           "startTime": iso(start + timedelta(seconds=row["start"])),
           "endTime": iso(start + timedelta(seconds=row["end"])),
           "timeOffset": round(row["start"], 2), "duration": round(row["end"] - row["start"], 2),
           "conversationId": conv["id"], "phrases": []}
    if phrases:
        out["phrases"] = app.insight_engine().phrases(row["text"])
    if sentiment:
        out["sentiment"] = app.insight_engine().sentiment(row["text"])
    if verbose:
        out["words"] = [{"word": w["word"],
                         "startTime": iso(start + timedelta(seconds=w["start"])),
                         "endTime": iso(start + timedelta(seconds=w["end"])),
                         **({"speakerTag": w["speakerTag"]} if "speakerTag" in w else {}),
                         "score": w["score"], "timeOffset": round(w["start"], 2),
                         "duration": round(w["end"] - w["start"], 2)}
                        for w in row["words"]]
    return out


def _flag(request: HttpRequest, name: str) -> bool:
    return (request.arg(name) or "").lower() == "true"


def _messages(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    members = {m["id"]: m for m in app.store.members(conv["id"])}
    options = json.loads(conv["insights_options"] or "{}")
    rows = app.store.messages(conv["id"])
    return Reply(200, {api.MESSAGES.reply: [
        message_json(app, conv, row, members, verbose=_flag(request, "verbose"),
                     sentiment=_flag(request, "sentiment"),
                     phrases=bool(options.get("detectPhrases"))) for row in rows]})


def _insights(app, request: HttpRequest) -> dict:
    conv = _conv(app, request)
    return json.loads(conv["insights"]) if conv["insights"] else {}


def _topics(app, request: HttpRequest) -> Reply:
    topics = _insights(app, request).get("topics", [])
    if not _flag(request, "sentiment"):  # sentiment only when asked for, as documented
        topics = [{k: v for k, v in t.items() if k != "sentiment"} for t in topics]
    return Reply(200, {api.TOPICS.reply: topics})


def _summary(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    if any(j["status"] in api.RUNNING for j in app.store.jobs(conv["id"])):
        raise Refusal(404, "The summary is not ready: the conversation is still being "
                           "processed")
    return Reply(200, {api.SUMMARY.reply: _insights(app, request).get("summary", [])})


def _members(app, request: HttpRequest) -> list[dict]:
    conv = _conv(app, request)
    return [_member_json(m) for m in app.store.members(conv["id"])]


def _put_member(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    mid = request.params["mid"]
    if not ids.is_uuid(mid) or app.store.member(conv["id"], mid) is None:
        raise Refusal(404, f"Member with id: {mid} not found")
    body = request.read_json()
    if not isinstance(body, dict):
        raise Refusal(400, '"value" must be of type object')
    for key in ("name", "email"):
        if key in body and not isinstance(body[key], str):
            raise Refusal(400, f'"{key}" must be a string')
    app.store.update_member(conv["id"], mid, body.get("name"), body.get("email"))
    app.refresh_insights(conv["id"])
    return Reply(200, {"message": f"Member with id: {mid} updated successfully! The update "
                                  f"should be reflected in all messages and insights along "
                                  f"with this conversation"})
