"""One input (a recording, a transcript or a URL) as a ``submitter.Request``, for the CLI and the
Python API alike.

- A transcript (.txt, .srt, .vtt, .json) goes to the Text API; anything else is a recording for
  the pipeline (probe, mono, Content-Type, pieces).
- A URL goes to the ``/url`` endpoint when the service can take it as it is; otherwise it is
  downloaded (streaming, into the submission store) and prepared like a file.

``common`` is the rest of the Request's fields (api, wait, again, conversation_id, prepare,
remember); ``emit(kind, data)`` receives ``notice`` and ``progress`` events (events.py).
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from symbl_media.errors import PlanError
from symbl_media.redaction import redact
from symbl_media.submission.events import Emit, EventKind


def file_request(path: Path, prepare, api_options, common: dict, ref: str | None = None):
    from symbl_media.inputs.transcripts import check_body, is_text_input, load_text
    from symbl_media.submission.submitter import Request, Source

    if is_text_input(path):
        if prepare.as_video:
            raise PlanError(f"{path}: a transcript cannot go to the Video API")
        transcript = load_text(path)
        payload = check_body(transcript.to_json(
            extra={"name": api_options.name or path.name}), path)
        return Request(Source("text", path=path, payload=payload, url=ref,
                              offsets=transcript.offsets), media="text", **common)
    media = "video" if prepare.as_video else "audio"
    return Request(Source("file", path=path, url=ref), media=media, **common)


def url_request(url: str, prepare, common: dict, store, emit: Emit):
    """Sent as a URL when Symbl can fetch it as it is, else downloaded and prepared here."""
    from symbl_media.inputs import urls as remote
    from symbl_media.inputs.web import Limits
    from symbl_media.submission.submitter import Request, Source

    url = remote.check_url(url)
    limits = Limits.from_env()
    media = "video" if prepare.as_video else "audio"
    verdict = remote.inspect_url(url, as_video=prepare.as_video, timeout=limits.check_timeout)
    needs_local = (prepare.separate_channels or prepare.chunk_minutes or prepare.format
                   or prepare.audio_stream is not None or getattr(prepare, "preprocess", ()))
    if verdict.direct and not needs_local:
        emit(EventKind.NOTICE, {"text": f"{redact(url)}: sent as a URL ({verdict.reason})"})
        return Request(Source("url", url=url), media=media, **common)
    emit(EventKind.NOTICE, {"text": f"{redact(url)}: downloading to prepare it here "
                            f"({verdict.reason})"})
    path = download(url, store, emit)
    return Request(Source("file", path=path, url=url), media=media, **common)


def download(url: str, store, emit: Emit) -> Path:
    """The URL's file in the store's downloads folder; fetched once, reused afterwards."""
    from symbl_media.inputs import download as fetching
    from symbl_media.inputs.web import Limits

    folder = store.folder / "downloads" / hashlib.sha256(url.encode()).hexdigest()[:20]
    folder.mkdir(parents=True, exist_ok=True)
    done = [p for p in folder.iterdir() if not p.name.endswith(".part")]
    if done:  # an earlier run fetched it completely (downloads are renamed into place)
        return done[0]

    def progress(got: int, total: int | None) -> None:
        emit(EventKind.PROGRESS, {"stage": "download", "done": got, "total": total,
                                  "unit": "bytes"})

    limits = Limits.from_env()
    try:
        return fetching.download(url, folder, stem="source", max_bytes=limits.max_bytes,
                                 timeout=(limits.check_timeout, limits.read_timeout),
                                 on_progress=progress).path
    except BaseException:
        with contextlib.suppress(OSError):
            folder.rmdir()  # nothing came of it: leave no empty folder behind
        raise
