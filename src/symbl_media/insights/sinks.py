"""Where insights go: ``--sink NAME[:TARGET][,key=value...]``, looked up among the plugins'
sinks (the built-in ones are registered the same way, in insights/file_sinks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from symbl_media.errors import SymblMediaError
from symbl_media.insights.collect import Insights
from symbl_media.plugins.types import SinkCall

OPTION = re.compile(r"^[A-Za-z_][\w-]*=")


class SinkProblem(SymblMediaError):
    exit_code = 2


def _parts(text: str, whole: str) -> list[str]:
    """``rest`` split at the commas outside double quotes (quotes and escapes kept)."""
    parts, current, quoted, escaped = [], "", False, False
    for char in text:
        if escaped:
            current, escaped = current + char, False
        elif quoted and char == "\\":
            current, escaped = current + char, True
        elif char == '"':
            current, quoted = current + char, not quoted
        elif char == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    if quoted:
        raise SinkProblem(f"--sink {whole!r}: a double quote is not closed")
    return parts + [current]


def _unquote(text: str) -> str:
    """Double quotes removed; inside them ``\\"`` and ``\\\\`` stand for ``"`` and ``\\``."""
    out, quoted, escaped = "", False, False
    for char in text:
        if escaped:
            out, escaped = out + char, False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        else:
            out += char
    return out


def _quote(text: str) -> str:
    """The inverse of ``_unquote`` for a value that holds a comma, a quote or edge spaces."""
    if not re.search(r'[,"]', text) and text == text.strip():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class SinkSpec:
    kind: str
    target: str | None  # a path, "-" for stdout, a channel...; None for the sink's default
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> SinkSpec:
        """``json:out.json``, ``markdown``, ``slack:#team,link=https://x``,
        ``markdown:out/t.md,title="Weekly sync, Q4"``: after the target come ``,key=value``
        options, each value in double quotes when it holds a comma. A target may itself hold a
        colon or a comma (or be quoted); once the options start, every part must be one, so a
        stray comma is refused rather than made part of a path."""
        colon, comma = text.find(":"), text.find(",")
        if colon != -1 and (comma == -1 or colon < comma):
            kind, rest, has_target = text[:colon], text[colon + 1:], True
        else:
            kind, _, rest = text.partition(",")
            has_target = False
        kind = kind.strip().lower()
        known = _known()
        if kind not in known:
            raise SinkProblem(f"--sink {text!r}: unknown sink {kind!r} (known: "
                              f"{', '.join(sorted(known))}; `symbl-media plugins` lists them)")
        parts = _parts(rest, text) if rest else []
        first = next((i for i, part in enumerate(parts) if OPTION.match(part)), len(parts))
        options: dict[str, str] = {}
        for part in parts[first:]:
            if not OPTION.match(part):
                raise SinkProblem(
                    f"--sink {text!r}: {part.strip()!r} is not key=value; put a value that "
                    f"holds a comma in double quotes, e.g. title=\"Weekly sync, Q4\"")
            key, _, value = part.partition("=")
            options[key] = _unquote(value)
        if parts[:first] and not has_target:
            raise SinkProblem(f"--sink {text!r}: write NAME[:TARGET][,key=value...]")
        target = _unquote(",".join(parts[:first])) or None
        takes = known[kind].options
        unknown = [key for key in options if takes is not None and key not in takes]
        if unknown:
            allowed = f"it takes {', '.join(takes)}" if takes else "it takes none"
            raise SinkProblem(f"--sink {text!r}: {kind} has no option "
                              f"{', '.join(map(repr, unknown))} ({allowed})")
        return cls(kind, target, options)

    @property
    def to_stdout(self) -> bool:
        if self.target == "-":
            return True
        return self.target is None and _known()[self.kind].writes_stdout_by_default

    @property
    def writes_files(self) -> bool:
        return _known()[self.kind].writes_files and self.target not in (None, "-")

    @property
    def to_folder(self) -> bool:
        """A file-writing sink whose TARGET ends in "/": one file per conversation there."""
        return self.writes_files and self.target.endswith("/")

    def text(self) -> str:
        """The spec as written, for the submission record (resume writes the same sinks)."""
        out = self.kind + (f":{_quote(self.target)}" if self.target else "")
        return out + "".join(f",{k}={_quote(v)}" for k, v in self.options.items())


def _known() -> dict:
    from symbl_media.plugins import manager as plugins

    return plugins.sinks()


def check(spec: SinkSpec) -> None:
    """Before anything is sent: the option values and the target (a file that cannot be
    written is found now, not after the transcription)."""
    sink = _known()[spec.kind]
    if sink.check is None:
        return
    try:
        sink.check(SinkCall(spec.target, dict(spec.options)))
    except ValueError as exc:
        raise SinkProblem(f"--sink {spec.text()!r}: {exc}") from None


def write(spec: SinkSpec, insights: Insights, name: str = "") -> str:
    """Hand ``insights`` to one sink; returns where they went, for the summary."""
    sink = _known()[spec.kind]
    return sink.write(insights, SinkCall(spec.target, dict(spec.options), name))
