"""Where insights go: ``--sink NAME[:TARGET][,key=value...]``, looked up among the plugins'
sinks (the built-in ones are registered the same way, in default_plugins/sinks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from symbl_media.collect import Insights
from symbl_media.errors import SymblMediaError
from symbl_media.plugin_types import SinkCall

OPTION = re.compile(r"^[A-Za-z_][\w-]*=")


class SinkProblem(SymblMediaError):
    exit_code = 2


@dataclass(frozen=True)
class SinkSpec:
    kind: str
    target: str | None  # a path, "-" for stdout, a channel...; None for the sink's default
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> "SinkSpec":
        """``json:out.json``, ``markdown``, ``slack:#team,link=https://x``: trailing
        ``,key=value`` parts are options; everything between the first colon and them is
        the target (so a target may itself hold a colon or a comma)."""
        colon, comma = text.find(":"), text.find(",")
        if colon != -1 and (comma == -1 or colon < comma):
            kind, rest, has_target = text[:colon], text[colon + 1:], True
        else:
            kind, _, rest = text.partition(",")
            has_target = False
        parts = rest.split(",") if rest else []
        options: dict[str, str] = {}
        while parts and OPTION.match(parts[-1]):
            key, _, value = parts.pop().partition("=")
            options[key] = value
        if parts and not has_target:
            raise SinkProblem(f"--sink {text!r}: write NAME[:TARGET][,key=value...]")
        target = ",".join(parts) or None
        kind = kind.strip().lower()
        known = _known()
        if kind not in known:
            raise SinkProblem(f"--sink {text!r}: unknown sink {kind!r} (known: "
                              f"{', '.join(sorted(known))}; `symbl-media plugins` lists them)")
        return cls(kind, target, dict(reversed(list(options.items()))))

    @property
    def to_stdout(self) -> bool:
        if self.target == "-":
            return True
        return self.target is None and _known()[self.kind].writes_stdout_by_default

    def text(self) -> str:
        """The spec as written, for the submission record (resume writes the same sinks)."""
        out = self.kind + (f":{self.target}" if self.target else "")
        return out + "".join(f",{k}={v}" for k, v in self.options.items())


def _known() -> dict:
    from symbl_media import plugins

    return plugins.sinks()


def write(spec: SinkSpec, insights: Insights, name: str = "") -> str:
    """Hand ``insights`` to one sink; returns where they went, for the summary."""
    sink = _known()[spec.kind]
    return sink.write(insights, SinkCall(spec.target, dict(spec.options), name))
