"""The Async API: POST a recording, a URL or text; PUT more onto a conversation; job status."""

from __future__ import annotations

import math
import os
import tempfile
import uuid
from pathlib import Path

from symbl_media.contract import endpoints as api
from symbl_media.errors import SymblMediaError
from symbl_media.media.decode import mime_type, wav_header
from symbl_media.media.probe import probe
from symbl_media.server import ids, job_watch, leftovers, logs
from symbl_media.server import options as opts
from symbl_media.server.http import HttpRequest, Later, Refusal, Reply

AUDIO_TYPES = ("audio/wav", "audio/wave", "audio/mpeg", "audio/mp3", "audio/x-wav")
CONCURRENCY = ("This API has a limit of maximum of `X` number of concurrent jobs per account. "
               "If you are looking to scale, and need more concurrent jobs than this limit, "
               "please contact us at support@symbl.ai")
NO_CONVERSATION = "The conversationId is either invalid or does not exist."


def routes(app) -> None:
    def add(route: api.Route, handler, media: str | None = None) -> None:
        app.router.add(route.method, route.url(media=media), handler)

    for media in api.MEDIA:
        add(api.SUBMIT_FILE, lambda q, m=media: _file(app, q, m, None), media)
        add(api.APPEND_FILE, lambda q, m=media: _file(app, q, m, q.params["cid"]), media)
        add(api.SUBMIT_URL, lambda q, m=media: _url(app, q, m, None), media)
        add(api.APPEND_URL, lambda q, m=media: _url(app, q, m, q.params["cid"]), media)
    add(api.SUBMIT_TEXT, lambda q: _text(app, q, None))
    add(api.APPEND_TEXT, lambda q: _text(app, q, q.params["cid"]))
    add(api.JOB, lambda q: _job(app, q))


def _existing(app, cid: str | None) -> None:
    if cid is not None and (not ids.is_conversation_id(cid) or app.store.conversation(cid) is None):
        raise Refusal(404, NO_CONVERSATION)


def _language(app, options: dict) -> None:
    """A language the transcriber cannot do is refused now (400, Symbl's ``{"message"}``),
    not accepted into a job that can only fail: sending it again would never help. Engines
    without a ``check_language(code)`` method are taken to do every documented language."""
    code = options.get("languageCode")
    if not code:
        return
    try:
        check = getattr(app.engines.transcriber, "check_language", None)
    except SymblMediaError:
        return  # the engine cannot be built: the job says why, as before
    if check is None:
        return
    try:
        check(code)
    except SymblMediaError as exc:
        raise Refusal(400, str(exc)) from None


def _capacity(app) -> None:
    if app.store.active_job_count() >= app.config.max_concurrent_jobs:
        raise Refusal(429, CONCURRENCY, statusCode=429)


def _submit(app, cid: str | None, kind: str, options: dict, upload: str | None = None,
            content_type: str | None = None) -> Reply:
    # The cap check and the new job are one step, in this process (the lock) and across the
    # deployment (one transaction under the store's admission lock): the cap counts every
    # job accepted and not ended, whichever process took it.
    with app.submit_lock, app.store.transaction():
        app.store.lock_admission()
        _capacity(app)
        if cid is None:
            cid = app.store.create_conversation(options.get("name"))
        elif app.store.conversation(cid) is None:
            raise Refusal(404, NO_CONVERSATION)
        jid = app.store.add_job(cid, kind, options, upload, content_type)
        # Said before the commit: from the commit on, a worker told by LISTEN/NOTIFY (or this
        # process's own, poked by another request) may claim the job and log "in_progress"
        # before this thread got to its "scheduled" line, and the log would read out of order.
        logs.job({"id": jid, "conversation_id": cid}, api.SCHEDULED)
    app.worker.poke()
    return Reply(201, {api.SUBMITTED.conversation_id: cid, api.SUBMITTED.job_id: jid})


def _file(app, request: HttpRequest, media: str, cid: str | None) -> Reply:
    # Everything that can be refused without the body is refused before reading it.
    options = opts.from_query(request.query, request.raw_query)
    _existing(app, cid)
    _language(app, options)
    _capacity(app)
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "audio" and declared and declared not in AUDIO_TYPES:
        raise Refusal(400, f"Unsupported Content-Type '{declared}': use audio/wav, audio/mpeg "
                           f"or audio/mp3, or leave the header out to have the format detected")
    if media == "video" and declared and declared != "video/mp4":
        raise Refusal(400, f"Unsupported Content-Type '{declared}': only video/mp4 is supported")
    if request.length is None and not request.chunked:
        raise Refusal(400, '"Content-Length" header is required')
    upload = _receive(app, request)
    try:
        _check_upload(app, upload, media, declared)
        return _submit(app, cid, media, options, str(upload), declared or None)
    except BaseException:
        upload.unlink(missing_ok=True)
        raise


def _receive(app, request: HttpRequest) -> Path:
    """Stream the body to a file in the uploads folder; never more than the size limit."""
    folder = app.data_dir / "uploads"
    # Named with this process, so a server starting on a shared folder tells it from a
    # stopped one's leftovers (leftovers.py).
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".receiving-{leftovers.tag()}")
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for block in request.stream(app.config.max_body_bytes):
                fh.write(block)
                size += len(block)
        if size == 0:
            raise Refusal(400, "The request body is empty: send the file's bytes")
        final = folder / f"{uuid.uuid4()}.bin"
        os.replace(tmp, final)
        return final
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_upload(app, upload: Path, media: str, declared: str) -> None:
    # A WAV (what recorders and the client's prepare step send; 16-bit or float, any rate) is
    # judged from its header, without an ffprobe process (~60 ms of every such POST).
    header = wav_header(upload) if media == "audio" else None
    if header is not None:
        _check_plain_wav(app, header.seconds, declared)
        return
    try:
        info = probe(upload)
    except SymblMediaError:
        raise Refusal(400, "Unable to detect a supported audio format in the request body") \
            from None
    detected = mime_type(info)
    if media == "audio" and info.has_video:
        raise Refusal(400, f"Detected MIME Type as '{detected}'. This endpoint only supports "
                           f"audio files. For video files please use /v1/process/video or "
                           f"/v1/process/video/url endpoints.")
    if media == "video" and detected != "video/mp4":
        raise Refusal(400, f"Detected MIME Type as '{detected}'. Only mp4 video is supported.")
    if declared in ("audio/wav", "audio/wave", "audio/x-wav") and info.container != "wav" or \
            declared in ("audio/mpeg", "audio/mp3") and info.container != "mp3":
        raise Refusal(400, f"The Content-Type '{declared}' does not match the detected "
                           f"format '{detected}'")
    if info.duration and info.duration > app.config.max_duration_seconds:
        raise Refusal(400, f"The recording is longer than the maximum of "
                           f"{app.config.max_duration_seconds / 3600:g} hours")


def _check_plain_wav(app, seconds: float, declared: str) -> None:
    """_check_upload's refusals for a file known to be a plain WAV (audio/wav, no video)."""
    if declared in ("audio/mpeg", "audio/mp3"):
        raise Refusal(400, f"The Content-Type '{declared}' does not match the detected "
                           f"format 'audio/wav'")
    if seconds > app.config.max_duration_seconds:
        raise Refusal(400, f"The recording is longer than the maximum of "
                           f"{app.config.max_duration_seconds / 3600:g} hours")


def _url(app, request: HttpRequest, media: str, cid: str | None) -> Reply:
    _existing(app, cid)
    options = opts.from_body(request.read_json(), url_required=True)
    # The SDK sends the diarization pair in the query for URL submissions.
    options.update({k: v for k, v in opts.from_query(
        {k: v for k, v in request.query.items()
         if k in ("enableSpeakerDiarization", "diarizationSpeakerCount")}).items()})
    _language(app, options)
    return _submit(app, cid, f"{media}_url", options)


def _text(app, request: HttpRequest, cid: str | None) -> Reply:
    _existing(app, cid)
    body = request.read_json()
    options = opts.from_body(body, url_required=False)
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise Refusal(400, '"messages" is required and must be a non-empty array')
    for i, m in enumerate(messages):
        payload = m.get("payload") if isinstance(m, dict) else None
        content = payload.get("content") if isinstance(payload, dict) else None
        if not isinstance(content, str) or not content.strip():
            raise Refusal(400, f'"messages[{i}].payload.content" is required')
        sender = m.get("from")
        if sender is not None and not isinstance(sender, dict):
            raise Refusal(400, f'"messages[{i}].from" must be of type object')
        for key in ("name", "userId"):  # they become a member's name and email
            if sender and sender.get(key) is not None and not isinstance(sender[key], str):
                raise Refusal(400, f'"messages[{i}].from.{key}" must be a string')
    options["messages"] = messages
    if request.arg("webhookUrl"):
        options.update(opts.validate({"webhookUrl": request.arg("webhookUrl")}))
    return _submit(app, cid, "text", options)


def _job(app, request: HttpRequest) -> Reply:
    jid = request.params["jid"]
    job = _found_job(app, jid)
    seconds = _wait_asked(app, request)
    if seconds is None:  # asked as Symbl is asked, or the extension is off: as Symbl answers
        return _job_reply(job)
    if seconds == 0 or job["status"] in api.ENDED:
        return _job_reply(job, seconds)
    status = job["status"]

    def until(gone) -> object:  # on the event loop: no route thread is held meanwhile
        return app.job_watch.wait(jid, status, seconds, gone)

    def again(outcome: str) -> Reply:  # on a route thread, once the wait has ended
        # "0" when the wait was cut short by the server (full, draining, stopping): the client
        # then waits its own schedule's step before it asks again.
        held = seconds if outcome in (job_watch.CHANGED, job_watch.TIMEOUT) else 0
        return _job_reply(_found_job(app, jid), held)

    return Reply(200, None, later=Later(until, again))


def _found_job(app, jid: str) -> dict:
    job = app.store.job(jid) if ids.is_uuid(jid) else None
    if job is None:
        raise Refusal(404, f"Job with {jid} not found")
    return job


def _job_reply(job: dict, held: float | None = None) -> Reply:
    headers = {} if held is None else {api.JOB_HELD: f"{held:g}"}
    return Reply(200, {"id": job["id"], api.JOB.reply: job["status"]}, headers)


def _wait_asked(app, request: HttpRequest) -> float | None:
    """The seconds a job poll may be held (our extension, contract/endpoints.py): what it
    asks for, cut to this server's bound; None when it asks nothing or the bound is 0."""
    raw = request.arg(api.JOB_WAIT)
    bound = app.config.job_wait_max
    if raw is None or bound <= 0:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise Refusal(400, f'"{api.JOB_WAIT}" must be a number of seconds, 0 or more '
                           f"(a poll is held at most {bound:g} s)")
    return min(seconds, bound)
