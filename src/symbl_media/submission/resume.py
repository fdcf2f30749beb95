"""How does a submission go on from its record alone, and is a conversation finished yet?

``resume`` rebuilds each record's request (``request_from_record``: the flags are not given
again) and carries it on with ``Submitter.resume``, then ``finish.finish``. A submission
refused for good is not sent again (``refuse_rejected``); ``forget`` drops a record.
``check_finished`` tells, from the records and the service's jobs, whether a conversation's
insights are final. Nothing here prints: messages go to ``emit`` as ``finish.py`` describes.
"""

from __future__ import annotations

from pathlib import Path

from symbl_media.errors import InputNotFound, Interrupted, SymblMediaError
from symbl_media.submission.events import EventKind, forward
from symbl_media.submission.finish import check_sinks, finish, shown


def refuse_rejected(record) -> None:
    """``resume KEY`` on a submission refused for good: say why, and what to do instead."""
    from symbl_media.errors import LanguageRefused, Rejected

    if not record.rejected:
        return
    kind = LanguageRefused if record.extra.get("rejected") == LanguageRefused.exit_code \
        else Rejected
    raise kind(f"submission {record.key} ({record.name}) was refused for good, so it is not "
               f"sent again: {record.note or 'no reason recorded'}; fix the input or options "
               f"and submit it again, or drop the record with `symbl-media resume --forget "
               f"{record.key}`")


def forget(store, record) -> None:
    """``resume --forget KEY``: drop the record (and its pieces); the service keeps what it
    received."""
    with store.lock(record.key):
        store.forget(record.key)


def resume(records, store, conn, assume, emit) -> tuple[list[dict], list]:
    """Carry each record on where it stopped; returns the JSON results and the errors. One
    stuck submission does not hold up the others; a single one's error is raised as it is."""
    from symbl_media.client.service import connect
    from symbl_media.submission.submitter import Submitter

    results, failures = [], []
    with connect(**conn) as service:
        if service.notice:
            emit(EventKind.WARNING, {"text": service.notice})
        for record in records:
            if record.service != service.name:
                raise SymblMediaError(f"submission {record.key} was made with "
                                      f"{record.service}; set the same URL and credentials "
                                      f"to resume it")
            submitter = Submitter(service.client, service.name, store,
                                  on_event=forward(emit))
            try:
                request = request_from_record(record, store, emit)
                specs = check_sinks(tuple(record.extra.get("sinks", [])))
                outcome = submitter.resume(record, request, assume=assume)
                results.append(finish(submitter, outcome, specs, emit))
            except KeyboardInterrupt:
                emit(EventKind.CLEAR, {})
                raise Interrupted("interrupted; run `symbl-media resume` again to carry "
                                  "on") from None
            except SymblMediaError as exc:
                if len(records) == 1:
                    raise
                # One stuck submission must not hold up the others.
                failures.append(exc)
                emit(EventKind.ERROR, {"text": f"{record.key}: {shown(exc)}"})
                results.append({"submission": record.key, "status": "failed",
                                "error": shown(exc), "exitCode": exc.exit_code})
    return results, failures


def request_from_record(record, store, emit):
    """Rebuild what a resumed run needs from the record alone (the flags are not repeated)."""
    from symbl_media.inputs.transcripts import load_text
    from symbl_media.media.plan import PrepareOptions
    from symbl_media.submission import from_input
    from symbl_media.submission.submitter import Request, Source

    source = record.source
    prepare = PrepareOptions(**record.extra.get("prepare", {}))
    if record.media == "text":
        path = Path(source["path"])
        payload = load_text(path).to_json(extra={"name": record.name})
        return Request(Source("text", path=path, payload=payload), media="text",
                       prepare=prepare)
    if record.done and source["kind"] == "url":
        # Finished: nothing is sent or fetched again (and its record keeps the URL without its
        # query, so it could not be): the request only names it.
        return Request(Source("url", url=source["url"]), media=record.media, prepare=prepare)
    if source["kind"] == "url" and not source.get("fetched"):
        return Request(Source("url", url=source["url"]), media=record.media, prepare=prepare)
    fetched = record.extra.get("fetched")
    if source["kind"] == "url" and fetched:  # a source plugin's (or stdin's) local copy
        if not Path(fetched).is_file():
            raise InputNotFound(f"{fetched}: the input of this submission is gone")
        return Request(Source("file", path=Path(fetched), url=source["url"]),
                       media=record.media, prepare=prepare)
    if source["kind"] == "url":  # downloaded and prepared here: reuse (or fetch) the download
        path = from_input.download(source["url"], store, emit)
        return Request(Source("file", path=path, url=source["url"]), media=record.media,
                       prepare=prepare)
    path = Path(source["path"])
    if not path.is_file():
        raise InputNotFound(f"{path}: the recording this submission came from is gone")
    return Request(Source("file", path=path), media=record.media, prepare=prepare)


def check_finished(service, conversation_id: str, *, wait: bool, emit) -> None:
    """``insights``: return once no job of the conversation is running, as far as can be told.

    Symbl answers the Conversation API while a job is still processing, with whatever is done
    so far, so the jobs are asked: those this machine's submission records name (pieces sent
    but not yet seen to end), and on the sandbox every job of the conversation
    (``/sandbox/conversations/{id}/uploads``). A running job stops here with NotFinished (19),
    or with ``wait`` is waited for. A submission of ours with pieces not sent, or whose job
    failed, needs ``resume``. With neither a record nor the sandbox, nothing can tell: a
    warning says so and the insights are what the service has now.
    """
    from symbl_media.errors import JobFailed, NotFinished
    from symbl_media.submission.records import Store

    running = ("scheduled", "in_progress")
    client = service.client
    records = [r for r in Store().all()
               if r.conversation_id == conversation_id and r.service == service.name]
    ours: dict[str, str] = {}  # job id: the key of the submission that sent it
    for record in records:
        unsent = [p for p in record.pieces if p.state in ("pending", "sending")]
        if unsent or not record.prepared:
            which = f"piece {unsent[0].index + 1}" if unsent else "a piece"
            raise NotFinished(f"conversation {conversation_id} is not finished: submission "
                              f"{record.key} has not sent {which} yet; `symbl-media resume "
                              f"{record.key}` finishes it")
        for piece in record.pieces:
            if piece.state == "failed":
                raise JobFailed(f"conversation {conversation_id}: job {piece.job_id} of "
                                f"submission {record.key} failed; `symbl-media resume "
                                f"{record.key}` sends that piece again")
            if piece.state == "sent" and piece.job_id:
                ours[piece.job_id] = record.key
    jobs = list(ours)
    tells = client.tells_receipts()
    # None on the sandbox: no such conversation (the Conversation API's 404 says so next).
    for receipt in (client.receipts(conversation_id) if tells else None) or []:
        job_id = receipt.get("jobId")
        if receipt.get("status") in running and job_id and job_id not in ours:
            jobs.append(str(job_id))
    if not records and not tells:
        emit(EventKind.WARNING, {"text": f"no submission record here names conversation "
                                 f"{conversation_id} and the service cannot list its jobs, so "
                                 f"whether it is finished cannot be told: these are its "
                                 f"insights so far"})
        return
    for job_id in jobs:
        status = client.job_status(job_id)
        if status in running:
            if not wait:
                raise NotFinished(f"conversation {conversation_id} is not finished: job "
                                  f"{job_id} is {status}; nothing was written "
                                  f"(`symbl-media insights {conversation_id} --wait` waits "
                                  f"for it)")
            emit(EventKind.WARNING, {"text": f"conversation {conversation_id}: waiting for job "
                                     f"{job_id} ({status})"})
            status = client.wait(job_id)
        if status == "failed" and job_id in ours:
            raise JobFailed(f"conversation {conversation_id}: job {job_id} of submission "
                            f"{ours[job_id]} failed; `symbl-media resume {ours[job_id]}` "
                            f"sends that piece again")
