"""The Conversation API: the conversation, its messages, insights, members; list and delete."""

from __future__ import annotations

import json

from symbl_media.contract import endpoints as api
from symbl_media.contract import shapes as k
from symbl_media.server import ids
from symbl_media.server.http import HttpRequest, Refusal, Reply
from symbl_media.server.replies import conversation_json, member_json, message_json
from symbl_media.server.routes_async import NO_CONVERSATION

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
        add(route, lambda q: Reply(200, _insights(app, q).get(k.INSIGHTS.trackers, [])))
    add(api.ANALYTICS, lambda q: Reply(200, _insights(app, q).get(
        k.INSIGHTS.analytics, {k.ANALYTICS.metrics: [], k.ANALYTICS.members: []})))
    add(api.SUMMARY, lambda q: _summary(app, q))
    add(api.MEMBERS, lambda q: Reply(200, {api.MEMBERS.reply: _members(app, q)}))
    add(api.UPDATE_MEMBER, lambda q: _put_member(app, q))


def _conv(app, request: HttpRequest) -> dict:
    cid = request.params["cid"]
    conv = app.store.conversation(cid) if ids.is_conversation_id(cid) else None
    if conv is None:
        raise Refusal(404, NO_CONVERSATION)
    return conv


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
    name, metadata = k.CONVERSATION.name, k.CONVERSATION.metadata
    if name in body:
        if not isinstance(body[name], str):
            raise Refusal(400, f'"{name}" must be a string')
        fields["name"] = body[name]
    if metadata in body:
        if not isinstance(body[metadata], dict):
            raise Refusal(400, f'"{metadata}" must be of type object')
        fields["metadata"] = json.dumps({**json.loads(conv["metadata"]), **body[metadata]})
    if fields:
        app.store.update_conversation(conv["id"], **fields)
    return Reply(200, conversation_json(app, app.store.conversation(conv["id"])))


def _delete(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    for upload in app.store.delete_conversation(conv["id"]):
        app.remove_upload(upload)
    return Reply(200, {"message": "successfully deleted the conversation"})


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
    topics = _insights(app, request).get(k.INSIGHTS.topics, [])
    if not _flag(request, "sentiment"):  # sentiment only when asked for, as documented
        topics = [{key: v for key, v in t.items() if key != k.TOPIC.sentiment} for t in topics]
    return Reply(200, {api.TOPICS.reply: topics})


def _summary(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    if any(j["status"] in api.RUNNING for j in app.store.jobs(conv["id"])):
        raise Refusal(404, "The summary is not ready: the conversation is still being "
                           "processed")
    return Reply(200, {api.SUMMARY.reply: _insights(app, request).get(k.INSIGHTS.summary, [])})


def _members(app, request: HttpRequest) -> list[dict]:
    conv = _conv(app, request)
    return [member_json(m) for m in app.store.members(conv["id"])]


def _put_member(app, request: HttpRequest) -> Reply:
    conv = _conv(app, request)
    mid = request.params["mid"]
    if not ids.is_uuid(mid) or app.store.member(conv["id"], mid) is None:
        raise Refusal(404, f"Member with id: {mid} not found")
    body = request.read_json()
    if not isinstance(body, dict):
        raise Refusal(400, '"value" must be of type object')
    for key in (k.PERSON.name, k.PERSON.email):
        if key in body and not isinstance(body[key], str):
            raise Refusal(400, f'"{key}" must be a string')
    app.store.update_member(conv["id"], mid, body.get(k.PERSON.name), body.get(k.PERSON.email))
    app.refresh_insights(conv["id"])
    return Reply(200, {"message": f"Member with id: {mid} updated successfully! The update "
                                  f"should be reflected in all messages and insights along "
                                  f"with this conversation"})
