"""The built-in sinks, registered like any plugin's: json, markdown, srt, vtt, txt.

Each writes to a file (TARGET), into a folder (TARGET is a folder: <conversationId>.<ext>),
or to standard output (no TARGET, or "-")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from symbl_media.errors import OutputError
from symbl_media.hookspecs import hookimpl
from symbl_media.plugin_types import Sink, SinkCall
from symbl_media.prepared import write_json_atomic


def write_text(text: str, call: SinkCall, suffix: str, conversation_id: str) -> str:
    """Standard output for no target or "-"; a folder gets <conversationId><suffix>."""
    if call.target in (None, "-"):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return "standard output"
    path = Path(call.target)
    if path.is_dir():
        path = path / f"{conversation_id}{suffix}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the insights there ({exc.strerror})") from None
    return str(path)


def _json(insights, call: SinkCall) -> str:
    if call.target in (None, "-"):
        return write_text(json.dumps(insights.to_json(), indent=2, ensure_ascii=False), call,
                          ".json", insights.conversation_id)
    path = Path(call.target)
    if path.is_dir():
        path = path / f"{insights.conversation_id}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, insights.to_json())
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the insights there ({exc.strerror})") from None
    return str(path)


def _rendered(render, suffix: str):
    def write(insights, call: SinkCall) -> str:
        options = dict(call.options)
        kwargs = {}
        if suffix in (".srt", ".vtt"):
            for key, cast in (("max_chars_per_line", int), ("max_lines", int),
                              ("max_cue_seconds", float), ("min_cue_seconds", float)):
                if key in options:
                    try:
                        kwargs[key] = cast(options.pop(key))
                    except ValueError:
                        raise OutputError(f"--sink option {key}: not a number") from None
        elif suffix == ".md" and "title" in options:
            kwargs["title"] = options.pop("title")
        if options:
            raise OutputError(f"--sink {suffix[1:]}: unknown option(s) {', '.join(options)}")
        try:
            text = render(insights, **kwargs)
        except ValueError as exc:
            raise OutputError(f"--sink {suffix[1:]}: {exc}") from None
        return write_text(text, call, suffix, insights.conversation_id)

    return write


@hookimpl
def register_sinks(register):
    from symbl_media import render

    register(Sink("json", _json, "everything the Conversation API returned, as JSON",
                  writes_stdout_by_default=True))
    register(Sink("markdown", _rendered(render.markdown, ".md"),
                  "a meeting report: speakers, summary, topics, action items, questions, "
                  "follow-ups, transcript", writes_stdout_by_default=True))
    register(Sink("srt", _rendered(render.srt, ".srt"), "speaker-labelled SubRip captions",
                  writes_stdout_by_default=True))
    register(Sink("vtt", _rendered(render.vtt, ".vtt"), "WebVTT captions with voice tags",
                  writes_stdout_by_default=True))
    register(Sink("txt", _rendered(render.txt, ".txt"), "a plain transcript",
                  writes_stdout_by_default=True))
