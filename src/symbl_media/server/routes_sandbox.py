"""The sandbox's own routes: the root, the token endpoint, the OpenAPI document, and what only
tests call (``/sandbox/...``: what a conversation received, the bytes of an upload, faults on
demand)."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from symbl_media import __version__
from symbl_media.contract import endpoints as api
from symbl_media.server import ids, openapi, routes_async
from symbl_media.server.http import HttpRequest, Refusal, Reply


def routes(app) -> None:
    """Add the sandbox's own endpoints to ``app.router`` (``app``: the ``Sandbox``)."""
    app.router.add(api.SERVICE.method, api.SERVICE.path,
                   lambda q: Reply(200, {"service": "symbl-media sandbox",
                                         "version": __version__, "ready": True}), auth=False)
    app.router.add(api.TOKEN.method, api.TOKEN.path, partial(_token, app), auth=False)
    app.router.add(api.UPLOADS.method, api.UPLOADS.path, partial(_uploads, app))
    app.router.add("GET", "/sandbox/jobs/{jid}/upload", partial(_upload_bytes, app))
    app.router.add("GET", "/sandbox/faults", lambda q: Reply(200, app.faults.state()))
    app.router.add("POST", "/sandbox/faults", partial(_set_faults, app))
    # Of every route added so far and after (the Async and Conversation APIs): built on first
    # asking, when the table is complete.
    app.router.add("GET", openapi.PATH, lambda q: Reply(200, openapi.document(
        app.router.routes, __version__)), auth=False)


def _token(app, request: HttpRequest) -> Reply:
    body = request.read_json(limit=64 * 1024)
    if not isinstance(body, dict):
        raise Refusal(400, '"value" must be of type object')
    asked = api.TOKEN_REQUEST
    if body.get(asked.type, api.APPLICATION) != api.APPLICATION:
        raise Refusal(400, f'"{asked.type}" must be [{api.APPLICATION}]')
    return Reply(200, app.auth.generate(body.get(asked.app_id), body.get(asked.app_secret)))


def _uploads(app, request: HttpRequest) -> Reply:
    """What a conversation received, in order: for tests that compare sent and received."""
    import hashlib

    cid = request.params["cid"]
    known = ids.is_conversation_id(cid) and app.store.conversation(cid)
    jobs = app.store.jobs(cid) if known else None
    if jobs is None:
        raise Refusal(404, routes_async.NO_CONVERSATION)
    out = []
    for job in jobs:
        entry = {"jobId": job["id"], "kind": job["kind"], "status": job["status"],
                 "error": job["error"], "contentType": job["content_type"]}
        path = Path(job["upload"]) if job["upload"] else None
        if path and path.exists():
            with path.open("rb") as fh:
                entry["sha256"] = hashlib.file_digest(fh, "sha256").hexdigest()
            entry["bytes"] = path.stat().st_size
        out.append(entry)
    return Reply(200, {api.UPLOADS.reply: out})


def _upload_bytes(app, request: HttpRequest) -> Reply:
    jid = request.params["jid"]
    job = app.store.job(jid) if ids.is_uuid(jid) else None
    if not job or not job["upload"] or not Path(job["upload"]).exists():
        raise Refusal(404, "no upload for this job")
    return Reply(200, Path(job["upload"]), {"Content-Type": "application/octet-stream"})


def _set_faults(app, request: HttpRequest) -> Reply:
    spec = request.read_json()
    if not isinstance(spec, dict):
        raise Refusal(400, "send a JSON object of faults")
    if spec.get("expire_tokens") is True:  # at once; an object is a positional fault
        spec.pop("expire_tokens")
        app.store.expire_tokens(time.time())
    try:
        app.faults.update(spec)
    except ValueError as exc:
        raise Refusal(400, str(exc)) from None
    return Reply(200, app.faults.state())
