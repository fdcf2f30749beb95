"""How do many inputs become submissions, several at a time (``--max-jobs``)?

``run_inputs`` opens one service, turns each input (a file, a transcript, a URL, what a source
plugin fetched) into a ``Request`` and runs it through a ``Submitter``, then ``finish.finish``.
One input failing does not stop the others; Ctrl-C stops them all at their next step (their
records stay resumable). Nothing here prints: progress and messages go to ``emit`` (the run as
a whole) and ``emit_for(item)`` (one of several inputs), as ``finish.py`` describes.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from symbl_media.errors import InputNotFound, Interrupted, SymblMediaError
from symbl_media.plugins import manager as plugins
from symbl_media.submission.events import EventKind, forward
from symbl_media.submission.finish import UsageProblem, finish, shown

TRANSCRIPT_SUFFIXES = (".txt", ".srt", ".vtt", ".json")


def source_for(item: str):
    """The input source (plugins first, then the built-in url, stdin, folder, glob and file)
    that takes ``item``; InputNotFound when none does."""
    for source in plugins.sources():
        if source.matches(item):
            return source
    path = Path(item)
    if path.exists() and not path.is_file():
        raise InputNotFound(f"{path}: not a regular file")
    raise InputNotFound(f"{path}: no such file")


def prepare_options(audio_stream, separate_channels, fmt, as_video, chunk_minutes, pre=(),
                    decoders=None):
    """The media flags (as the CLI names them) as ``PrepareOptions``."""
    from symbl_media.media.plan import PrepareOptions

    return PrepareOptions(audio_stream=audio_stream, separate_channels=separate_channels,
                          format=fmt, as_video=as_video, chunk_minutes=chunk_minutes,
                          preprocess=pre, decoders=decoders)


def request_for(item: str, media_opts: dict, api_options, *, wait: bool, again: bool,
                conversation_id: str | None, store, emit, sinks: list[str]):
    """Turn one input into a submission Request: a file, a transcript, a URL, or what a source
    plugin fetched."""
    prepare = prepare_options(**media_opts)
    common = dict(api=api_options, wait=wait, again=again, conversation_id=conversation_id,
                  prepare=prepare, remember={"sinks": sinks})
    source = source_for(item)
    if source.name == "url":
        return _url_request(item, prepare, common, store, emit)
    if source.fetch is not None:
        folder = store.ensure() / "fetched"
        folder.mkdir(parents=True, exist_ok=True)

        def progress(got: int, total: int | None) -> None:
            emit(EventKind.PROGRESS, {"stage": "download", "done": got, "total": total,
                                      "unit": "bytes"})

        path = Path(source.fetch(item, folder, progress))
        # The fetched copy's name is its identity (a content or reference hash).
        common["remember"] = {**common["remember"], "fetched": str(path)}
        return _file_request(path, prepare, api_options, common,
                             ref=f"{source.name}:{path.name}")
    return _file_request(Path(item), prepare, api_options, common)


def _file_request(path: Path, prepare, api_options, common: dict, ref: str | None = None):
    from symbl_media.submission import from_input

    if prepare.as_video and path.suffix.lower() in TRANSCRIPT_SUFFIXES:
        raise UsageProblem(f"{path}: a transcript cannot go to the Video API")
    return from_input.file_request(path, prepare, api_options, common, ref)


def _url_request(url: str, prepare, common: dict, store, emit):
    from symbl_media.submission import from_input

    store.ensure()  # a download lands in it: private before anything is written there
    _name_url(common, url)
    return from_input.url_request(url, prepare, common, store, emit)


def _name_url(common: dict, url: str) -> None:
    """Name a URL's conversation by its file when the default name would show more of the URL:
    a password (``https://user:pw@host``), a fragment, or the whole URL when the path is empty.
    The default is kept when it is safe, so the submission keys of earlier runs still match."""
    from symbl_media.inputs.urls import conversation_name

    api = common["api"]
    if api.name is not None:
        return
    default = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or url  # what earlier versions named it
    safe = conversation_name(url)
    if default != safe:
        common["api"] = replace(api, name=safe)


def _name_the_input(exc: SymblMediaError, item: str, request) -> None:
    """An error about the private copy of an input (standard input, a downloaded URL, a
    source plugin's fetch) names the input as given: ``-`` or the URL, not
    ``.../fetched/stdin-<hash>``."""
    from symbl_media.inputs.urls import is_url
    from symbl_media.redaction import redact

    source = request.source
    copy = request.remember.get("fetched") or (
        str(source.path) if source.url and source.path is not None else None)
    message = str(exc)
    if copy and message.startswith(f"{copy}: "):
        named = redact(item) if is_url(item) else item
        exc.args = (f"{named}{message[len(copy):]}",)


def redacted(item: str) -> str:
    """An input as it may be shown: a URL without its password, query and fragment."""
    from symbl_media.inputs.urls import is_url

    if is_url(item):
        from symbl_media.redaction import redact

        return redact(item)
    return item


def _result(future):
    """A worker's result, waiting in short steps so Ctrl-C gets through."""
    from concurrent.futures import TimeoutError as Pending

    while True:
        try:
            return future.result(timeout=0.2)
        except Pending:
            continue


def run_inputs(items: list[str], *, media_opts, api_options, conn, specs, wait, again,
               max_jobs, emit, emit_for, conversation_id=None) -> tuple[list[dict], list]:
    """Submit and finish every input; returns each one's JSON result (in the order given)
    and the failures, ``(item, error)``. A single input's error is raised as it is."""
    from symbl_media.client.service import connect
    from symbl_media.submission.records import Store
    from symbl_media.submission.submitter import Submitter

    cancel = threading.Event()
    store = Store()
    with connect(**conn) as service:
        if service.notice:
            emit(EventKind.WARNING, {"text": service.notice})
        if conversation_id:
            service.client.conversation(conversation_id)  # 404 here, before any upload

        def one(item: str, show) -> dict:
            # What getting the input said ("downloading to prepare it here (stereo)") is shown
            # once the submission is under way: an input refused at once (a download that is
            # not a recording) is its one error line, no more.
            held: list[dict] = []

            def hold(kind: str, data: dict) -> None:
                if kind == EventKind.NOTICE:
                    held.append(data)
                else:
                    show(kind, data)

            def under_way(kind: str, data: dict) -> None:
                while held and kind != EventKind.PROGRESS:
                    show(EventKind.NOTICE, held.pop(0))
                show(kind, data)

            submitter = Submitter(service.client, service.name, store,
                                  on_event=forward(under_way), cancel=cancel)
            request = request_for(item, media_opts, api_options, wait=wait, again=again,
                                  conversation_id=conversation_id, store=store, emit=hold,
                                  sinks=[s.text() for s in specs])
            if request.source.kind != "text":  # the embedded server's model loads meanwhile
                service.recording_coming()
            try:
                outcome = submitter.submit(request)
            except SymblMediaError as exc:
                _name_the_input(exc, item, request)
                raise
            for notice in held:
                show(EventKind.NOTICE, notice)
            # Each result names its input, as a failed one does.
            return {"input": redacted(item), **finish(submitter, outcome, specs, show)}

        results, failures = [], []
        try:
            if len(items) == 1:
                try:
                    results.append(one(items[0], emit))
                finally:
                    emit(EventKind.CLEAR, {})
            else:
                pool = ThreadPoolExecutor(max_workers=max_jobs)
                try:
                    futures = [(item, pool.submit(one, item, emit_for(item)))
                               for item in items]
                    for item, future in futures:
                        try:
                            results.append(_result(future))
                        except UsageProblem:
                            raise  # as a bad flag: the whole run stops
                        except SymblMediaError as exc:
                            failures.append((item, exc))
                            emit(EventKind.ERROR, {"text": shown(exc)})
                            results.append({"input": redacted(item), "status": "failed",
                                            "error": shown(exc), "exitCode": exc.exit_code})
                except BaseException:
                    # Stop the others at their next step (their records stay resumable).
                    cancel.set()
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
                pool.shutdown()
        except KeyboardInterrupt:
            cancel.set()
            emit(EventKind.CLEAR, {})
            raise Interrupted(interrupted(store, again)) from None
    return results, failures


def interrupted(store, again: bool) -> str:
    """The Ctrl-C line of ``submit``/``append``: advice that holds for the command given. With
    --again the same command would start another conversation, so it names the submission."""
    keys = []
    for key in dict.fromkeys(store.touched):
        try:
            record = store.load(key)
        except SymblMediaError:
            record = None
        if record is not None and record.unfinished:
            keys.append(key)
    if not again:
        return ("interrupted; what was sent is recorded: `symbl-media resume` (or the same "
                "command again) carries on")
    if not keys:
        return ("interrupted; nothing is left unfinished" if store.touched else
                "interrupted before anything was sent")
    if len(keys) == 1:
        return (f"interrupted; what was sent is recorded: `symbl-media resume {keys[0]}` "
                f"carries on (the same command, with --again, would start another "
                f"conversation)")
    return ("interrupted; what was sent is recorded: `symbl-media resume` carries on (the same "
            "command, with --again, would start other conversations)")
