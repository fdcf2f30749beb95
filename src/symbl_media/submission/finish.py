"""After a submission's last job: where do its insights go, and what is its result?

The sinks are parsed and checked before anything is sent (``check_sinks``), written once the
insights are in (``write_sinks``), and a sink that could not be written decides the exit code
after the output (``raise_for_sinks``). ``finish`` collects the insights (matching speakers
across pieces), writes the sinks and returns the result of one input, the JSON the CLI prints.

Nothing here prints: what people should see goes to ``emit(kind, data)``, as the submitter's
events do. Besides the submitter's kinds: ``warning`` and ``error`` (``{"text": ...}``, one
line each), ``clear`` (a progress line is about to be overwritten by output) and ``finished``
(``{"result", "insights", "record", "to_stdout"}``: the summary to show, ``insights`` None when
the submission was not waited for).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from symbl_media.errors import InvalidArgument, SymblMediaError
from symbl_media.submission.events import EventKind


class UsageProblem(InvalidArgument):
    """A combination of arguments that cannot work (exit 2); it stops a whole run of several
    inputs, as a bad flag does, rather than failing one of them."""


def shown(exc: BaseException) -> str:
    """An error as one line to show, without any secret a server may have echoed into it."""
    from symbl_media.redaction import scrub

    return scrub(" ".join(str(exc).split()))


def check_sinks(sinks: tuple[str, ...], *, inputs: int = 1, as_json: bool = False):
    """The sinks parsed and checked before anything is sent: option names and values and how
    they combine (exit 2), and whether each target can be written (exit 8). With several
    inputs a file-writing sink's target without a suffix is a folder (made if needed): one
    file per conversation there."""
    from symbl_media.insights import sinks as sink_module
    from symbl_media.insights.sinks import SinkSpec

    specs = [SinkSpec.parse(s) for s in sinks]
    if as_json and any(s.to_stdout for s in specs):
        raise UsageProblem("--json and a sink on standard output would mix two JSON "
                           "documents; give the sink a file")
    if inputs > 1:
        if any(s.to_stdout for s in specs):
            raise UsageProblem("with several inputs, a sink on standard output would run "
                               "their documents together; give each --sink a folder (one "
                               "file per conversation is written there)")
        specs = [replace(s, target=s.target + "/")
                 if s.writes_files and not s.to_folder
                 and (Path(s.target).is_dir() or not Path(s.target).suffix) else s
                 for s in specs]
        if any(s.writes_files and not s.to_folder for s in specs):
            raise UsageProblem("with several inputs, give each --sink a folder (one file "
                               "per conversation is written there)")
    _refuse_shared_targets(specs)
    for spec in specs:
        sink_module.check(spec)
    return specs


def _refuse_shared_targets(specs) -> None:
    """Two sinks writing one file would leave only the last one's document there, and two on
    standard output would run theirs together: refused before anything is sent (exit 2)."""
    on_stdout = [s.text() for s in specs if s.to_stdout]
    if len(on_stdout) > 1:
        raise UsageProblem(f"--sink {on_stdout[1]!r}: --sink {on_stdout[0]!r} writes to "
                           f"standard output too, and the two documents would run together; "
                           f"give one of them a file")
    seen: dict[tuple, str] = {}
    for spec in specs:
        if not spec.writes_files:
            continue
        # A folder holds one <conversationId>.<ext> per sink kind; a file is one document.
        where = Path(spec.target).expanduser().resolve()
        folder = spec.to_folder or where.is_dir()
        key = ("folder", where, spec.kind) if folder else ("file", where)
        if key in seen:
            raise UsageProblem(f"--sink {spec.text()!r}: --sink {seen[key]!r} writes "
                               f"{spec.target} too, and only the last document would be left; "
                               f"give each its own file")
        seen[key] = spec.text()


def write_sinks(specs, insights, name: str, emit) -> tuple[list[str], list[dict]]:
    """Every sink that can be written is; each that cannot is one error line, and the run
    goes on (the summary is still shown; the exit code says a sink failed)."""
    from symbl_media.insights import sinks as sink_module

    written, failed = [], []
    for spec in specs:
        try:
            written.append(sink_module.write(spec, insights, name))
        except SymblMediaError as exc:
            failed.append({"sink": spec.text(), "error": shown(exc),
                           "exitCode": exc.exit_code})
            emit(EventKind.ERROR, {"text": shown(exc)})
    return written, failed


def raise_for_sinks(results: list[dict]) -> None:
    """After the output: a sink that could not be written makes the exit code its error's."""
    failed = [f for r in results for f in r.get("sinkErrors", ())]
    if failed:
        error = SymblMediaError(f"{len(failed)} sink{'s' * (len(failed) != 1)} could not be "
                                f"written (see above)")
        error.exit_code = failed[0]["exitCode"]
        raise error


def finish(submitter, outcome, specs, emit) -> dict:
    """Wait is over: insights, sinks, then ``finished`` for the summary. Returns the JSON
    result of this input."""
    record = outcome.record
    result = {"submission": record.key, "conversationId": record.conversation_id,
              "jobIds": [p.job_id for p in record.pieces], "pieces": len(record.pieces),
              "resumed": outcome.resumed, "alreadyDone": outcome.already_done}
    if record.stage == "submitted":  # --no-wait
        result["status"] = "submitted"
        emit(EventKind.FINISHED, {"result": result, "insights": None, "record": record,
                          "to_stdout": False})
        if record.service == "embedded":
            emit(EventKind.WARNING, {"text": "the embedded sandbox works only while symbl-media "
                                              "runs: `symbl-media resume` finishes this job "
                                              "and collects the insights"})
        return result
    if outcome.already_done:
        emit(EventKind.WARNING, {"text": f"{record.name}: already submitted as conversation "
                                 f"{record.conversation_id} (use --again for a new one); "
                                 f"fetching its insights"})
        from symbl_media.insights.collect import collect

        insights = collect(submitter.client, record.conversation_id,
                           summary=bool(record.options.get("enableSummary")),
                           trackers=bool(record.options.get("trackers")
                                         or record.options.get("enableAllTrackers")))
    else:
        record, insights = submitter.finish(record)
    # A conversation made from a transcript counts its times from the transcript's time zero,
    # not from its first cue (where the service starts it).
    from symbl_media.inputs.transcripts import time_zero

    insights = replace(insights, origin=time_zero(submitter.store.all(), record.conversation_id,
                                                  insights.conversation, record.service))
    emit(EventKind.CLEAR, {})
    written, failed = write_sinks(specs, insights, record.name, emit)
    result.update(status="completed", duration=round(insights.duration, 3),
                  speakers=list(insights.speakers),
                  counts={"messages": len(insights.messages), "topics": len(insights.topics),
                          "actionItems": len(insights.action_items),
                          "questions": len(insights.questions),
                          "followUps": len(insights.follow_ups)},
                  sinks=written, sinkErrors=failed, notes=list(insights.notes))
    emit(EventKind.FINISHED, {"result": result, "insights": insights, "record": record,
                      "to_stdout": any(s.to_stdout for s in specs)})
    return result


def without_insights(submitter, record) -> tuple[str, ...]:
    """``Submitter.finish`` for the Python API, which fetches only the insights the caller
    asks for: match speakers across pieces, mark the submission done, drop its pieces.
    Returns the notes (how speakers were matched)."""
    record, _ = submitter.finish(record, collect_insights=False)
    return tuple(record.extra.get("notes", []))
