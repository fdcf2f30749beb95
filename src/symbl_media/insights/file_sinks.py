"""The built-in sinks, registered like any plugin's: json, markdown, srt, vtt, txt.

Each writes to a file (TARGET), into a folder (TARGET is a folder, or ends in "/": one
<conversationId>.<ext> per conversation, the folder made if needed), or to standard output
(no TARGET, or "-")."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from symbl_media.errors import OutputError
from symbl_media.media.prepared import write_json_atomic
from symbl_media.plugins.hookspecs import hookimpl
from symbl_media.plugins.types import Sink, SinkCall

CAPTION_OPTIONS = (("max_chars_per_line", int), ("max_lines", int),
                   ("max_cue_seconds", float), ("min_cue_seconds", float))


def _is_folder(target: str) -> bool:
    return target.endswith("/") or Path(target).is_dir()


def _path(call: SinkCall, suffix: str, conversation_id: str) -> Path:
    """The file a target names: itself, or <conversationId><suffix> in a folder."""
    path = Path(call.target)
    return path / f"{conversation_id}{suffix}" if _is_folder(call.target) else path


def _unusable(folder: Path) -> str | None:
    """Why files cannot be made in ``folder`` (made if needed), or None when they can."""
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing}: permission denied"
    return None


def check_target(call: SinkCall) -> None:
    """Raised before anything is sent: a target under a file, or in a folder we cannot write."""
    if call.target in (None, "-"):
        return
    folder = Path(call.target) if _is_folder(call.target) else Path(call.target).parent
    why = _unusable(folder)
    if why:
        raise OutputError(f"{call.target}: cannot write the insights there ({why})")


def _written(path: Path, write) -> str:
    why = _unusable(path.parent)
    if why:
        raise OutputError(f"{path}: cannot write the insights there ({why})")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the insights there "
                          f"({exc.strerror or exc})") from None
    return str(path)


def write_text(text: str, call: SinkCall, suffix: str, conversation_id: str) -> str:
    """Standard output for no target or "-"; a folder gets <conversationId><suffix>."""
    if call.target in (None, "-"):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return "standard output"

    def write(path: Path) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    return _written(_path(call, suffix, conversation_id), write)


def _json(insights, call: SinkCall) -> str:
    if call.target in (None, "-"):
        return write_text(json.dumps(insights.to_json(), indent=2, ensure_ascii=False), call,
                          ".json", insights.conversation_id)
    return _written(_path(call, ".json", insights.conversation_id),
                    lambda path: write_json_atomic(path, insights.to_json()))


def _layout(options: dict) -> dict:
    """The caption options as numbers, checked as the renderer checks them (ValueError)."""
    from symbl_media.insights import render

    kwargs = {}
    for key, cast in CAPTION_OPTIONS:
        if key in options:
            try:
                kwargs[key] = cast(options[key])
            except ValueError:
                raise ValueError(f"{key}={options[key]!r} is not a number") from None
    defaults = {"max_chars_per_line": 42, "max_lines": 2, "max_cue_seconds": 7.0,
                "min_cue_seconds": 1.0}
    render.check_layout(**{**defaults, **kwargs})
    return kwargs


def _check_captions(call: SinkCall) -> None:
    _layout(call.options)
    check_target(call)


def _rendered(render, suffix: str):
    def write(insights, call: SinkCall) -> str:
        options = dict(call.options)
        kwargs = {}
        try:
            if suffix in (".srt", ".vtt"):
                kwargs = _layout(options)
            elif suffix == ".md" and "title" in options:
                kwargs["title"] = options["title"]
            text = render(insights, **kwargs)
        except ValueError as exc:
            raise OutputError(f"--sink {suffix[1:]}: {exc}") from None
        return write_text(text, call, suffix, insights.conversation_id)

    return write


@hookimpl
def register_sinks(register):
    from symbl_media.insights import render

    files = dict(writes_stdout_by_default=True, writes_files=True)
    register(Sink("json", _json, "everything the Conversation API returned, as JSON",
                  options=(), check=check_target, **files))
    register(Sink("markdown", _rendered(render.markdown, ".md"),
                  "a meeting report: speakers, summary, topics, action items, questions, "
                  "follow-ups, transcript", options=("title",), check=check_target, **files))
    captions = tuple(key for key, _ in CAPTION_OPTIONS)
    register(Sink("srt", _rendered(render.srt, ".srt"), "speaker-labelled SubRip captions",
                  options=captions, check=_check_captions, **files))
    register(Sink("vtt", _rendered(render.vtt, ".vtt"), "WebVTT captions with voice tags",
                  options=captions, check=_check_captions, **files))
    register(Sink("txt", _rendered(render.txt, ".txt"), "a plain transcript",
                  options=(), check=check_target, **files))
