"""The OpenAPI 3.1 document of the routes the sandbox serves (``GET /openapi.json``).

Written from the route table the server answers with (``http.Router``, filled from
``contract/endpoints.py``), so it cannot list a route that is not served or miss one that is.
Each operation says what it takes (path segments, the body's media types), what it answers
under which key (the contract's reply keys), and the refusals, which all have Symbl's shape
``{"message": ...}``. The sandbox's test-only routes (``/sandbox/...``) are left out.
"""

from __future__ import annotations

import re

from symbl_media.contract import endpoints as api
from symbl_media.server.http import Route

PATH = "/openapi.json"
_PARAMETER = re.compile(r"\{(\w+)\}")
_PARAMETERS = {"cid": "The conversation's id.", "jid": "The job's id.",
               "mid": "The member's id."}
_AUDIO = ("audio/wav", "audio/wave", "audio/x-wav", "audio/mpeg", "audio/mp3")
_ERROR = {"$ref": "#/components/schemas/Error"}


def _summary(route: Route) -> str:
    path, method = route.pattern, route.method
    if path == api.SERVICE.path:
        return "Ready check: the service's name and version"
    if path == api.TOKEN.path:
        return "An access token for an app id and secret"
    if path.startswith("/v1/process/"):
        kind = path.split("/")[3]
        what = {"audio": "a recording", "video": "an mp4 video", "text": "text messages"}[kind]
        what = f"the URL of {what}" if "/url" in path else what
        return f"{'Submit' if method == 'POST' else 'Append to a conversation'}: {what}"
    if path.startswith("/v1/job/"):
        return "A job's status: " + ", ".join(api.JOB_STATUSES)
    tail = path.partition("{cid}")[2].lstrip("/")
    if not tail:
        return {"GET": "The conversation" if "{cid}" in path else "The conversations",
                "PUT": "Rename the conversation or merge its metadata",
                "DELETE": "Delete the conversation and its uploads"}[method]
    if tail.startswith("members/"):
        return "Rename a member (or set their email)"
    return f"The conversation's {tail.replace('-', ' ')}"


def _body(route: Route) -> dict | None:
    path = route.pattern
    if route.method not in ("POST", "PUT"):
        return None
    binary = {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}
    if path.startswith("/v1/process/audio") and "/url" not in path:
        types = _AUDIO
    elif path.startswith("/v1/process/video") and "/url" not in path:
        types = ("video/mp4",)
    else:
        return {"required": path != api.UPDATE_MEMBER.path,
                "content": {"application/json": {"schema": {"type": "object"}}}}
    return {"required": True, "description": "The file's bytes; the format is detected when "
                                             "Content-Type is left out.",
            "content": {t: binary for t in types}}


def _operation(route: Route) -> dict:
    names = _PARAMETER.findall(route.pattern)
    ok = "201" if route.pattern.startswith("/v1/process/") else "200"
    refusals = {"400": "A bad option or body", "404": "No such conversation, job or member"}
    if route.auth:
        refusals["401"] = "A missing, expired or foreign token"
    if route.pattern.startswith("/v1/process/"):
        refusals["413"] = "A body over the server's size limit"
        refusals["429"] = "The concurrent job limit is reached"
    operation: dict = {
        "summary": _summary(route),
        "operationId": route.method.lower() + "_" + re.sub(r"\W+", "_", route.pattern).strip("_"),
        "parameters": [{"name": n, "in": "path", "required": True,
                        "description": _PARAMETERS.get(n, n), "schema": {"type": "string"}}
                       for n in names],
        "responses": {ok: {"description": "The answer",
                           "content": {"application/json": {"schema": {}}}},
                      **{code: {"description": text,
                                "content": {"application/json": {"schema": _ERROR}}}
                         for code, text in refusals.items()}},
    }
    if route.pattern == api.JOB.path:  # our extension (docs/sandbox.md, "Waiting for a job")
        operation["parameters"].append({
            "name": api.JOB_WAIT, "in": "query", "required": False,
            "description": f"Hold the request until the status changes, at most this many "
                           f"seconds (cut to {api.JOB_WAIT_MAX:g}); the {api.JOB_HELD} "
                           f"header says how long it was held at most (0: not held)",
            "schema": {"type": "number", "minimum": 0}})
    if not route.auth:
        operation["security"] = []
    body = _body(route)
    if body is not None:
        operation["requestBody"] = body
    return operation


def document(routes: list[Route], version: str) -> dict:
    paths: dict = {}
    for route in routes:
        if route.pattern.startswith("/sandbox/") or route.pattern == PATH:
            continue
        paths.setdefault(route.pattern, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "symbl-media sandbox: the Symbl.ai Async, Job and Conversation APIs",
                 "version": version},
        "paths": paths,
        "security": [{"bearer": []}, {"apiKey": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}},
            "schemas": {"Error": {
                "type": "object", "required": ["message"],
                "properties": {"message": {"type": "string"},
                               "statusCode": {"type": "integer"}}}}},
    }
