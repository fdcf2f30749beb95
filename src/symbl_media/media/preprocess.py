"""Pre-processors (``--pre NAME[:key=value,...]``): parsed, checked and resolved into steps
whose filter chains are folded into the one ffmpeg pass of ``prepare``.

The pre-processors themselves are plugins (``register_preprocessors``; the built-in ones are in
``plugins/builtins/preprocessors.py``). This module is the host's side: it parses the
specification, refuses unknown names, unknown options and bad values before any work, runs
the measuring ones on the recording, and records what each step does for the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import SymblMediaError

# (name, ((key, value), ...)): the frozen, hashable form PrepareOptions keeps.
Spec = tuple[str, tuple[tuple[str, str], ...]]

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class PreprocessProblem(SymblMediaError):
    """A ``--pre`` that names no known pre-processor, or gives it a bad option."""

    exit_code = 2


# ----------------------------------------------------------------------------- specs

def parse_spec(text: str) -> Spec:
    """``loudnorm``, ``highpass:f=100``, ``loudnorm:i=-16,tp=-1.5`` -> (name, options)."""
    name, colon, rest = text.partition(":")
    name = name.strip().lower()
    if not name:
        raise PreprocessProblem(f"--pre {text!r}: write NAME[:key=value,...]")
    options: dict[str, str] = {}
    if colon:
        for part in rest.split(","):
            key, eq, value = part.partition("=")
            key = key.strip().lower()
            if not eq or not _KEY.match(key) or not value.strip():
                raise PreprocessProblem(f"--pre {text!r}: write NAME[:key=value,...] "
                                        f"({part.strip() or 'an empty option'!r} is not "
                                        f"key=value)")
            if key in options:
                raise PreprocessProblem(f"--pre {text!r}: option {key!r} is given twice")
            options[key] = value.strip()
    return name, tuple(sorted(options.items()))


def normalize(specs: Iterable) -> tuple[Spec, ...]:
    """Any spelling of a list of pre-processors -> the frozen form.

    Takes ``"name:k=v"`` strings, ``(name, {k: v})`` pairs, ``(name, ((k, v), ...))`` pairs and
    the lists JSON turns those into (a submission record read back for ``resume``).
    """
    if isinstance(specs, str):
        specs = (specs,)
    out: list[Spec] = []
    for item in specs or ():
        if isinstance(item, str):
            out.append(parse_spec(item))
            continue
        name, params = item
        pairs = params.items() if isinstance(params, dict) else (params or ())
        out.append((str(name).strip().lower(),
                    tuple(sorted((str(k).strip().lower(), str(v)) for k, v in pairs))))
    return tuple(out)


def spec_text(spec: Spec) -> str:
    """The ``--pre`` argument that gives ``spec``."""
    name, params = spec
    return name + (":" + ",".join(f"{k}={v}" for k, v in params) if params else "")


# ----------------------------------------------------------------------------- steps

@dataclass(frozen=True)
class Step:
    """One pre-processor as the plan carries it out."""

    name: str
    settings: tuple[tuple[str, str], ...]  # every option, defaults filled in
    measured: tuple[tuple[str, str], ...]  # what the pre-processor measured on this recording
    filter: str  # its ffmpeg filter chain; "" when it has nothing to do here
    changes_length: bool = False

    @property
    def span(self) -> tuple[float, float] | None:
        """The part of the audio a length-changing step keeps, when it reported one."""
        found = dict(self.measured)
        try:
            return float(found["start"]), float(found["end"])
        except (KeyError, ValueError):
            return None

    def label(self) -> str:
        """``loudnorm (i=-23, tp=-2, lra=11)``, ``trim (...; measured start=1.9, end=12.1)``."""
        parts = ", ".join(f"{k}={v}" for k, v in self.settings)
        if self.measured:
            measured = ", ".join(f"{k}={v}" for k, v in self.measured)
            parts = f"{parts}; measured {measured}" if parts else f"measured {measured}"
        return f"{self.name} ({parts})" if parts else self.name

    def to_json(self) -> dict:
        return {"name": self.name, "options": dict(self.settings),
                "measured": dict(self.measured), "filter": self.filter or None,
                "changes_length": self.changes_length}


def chain(steps: Iterable[Step], channels: int) -> str | None:
    """The steps' filters as one ``-af`` chain for audio of ``channels`` channels.

    Kept channels (``--separate-channels``) are split, processed one by one and joined again:
    each speaker's channel gets its own loudness normalisation and noise profile instead of
    sharing one measured over all of them.
    """
    joined = ",".join(s.filter for s in steps if s.filter)
    if not joined:
        return None
    if channels <= 1:
        return joined
    split = f"asplit={channels}" + "".join(f"[pre{i}]" for i in range(channels))
    branches = [f"[pre{i}]pan=mono|c0=c{i},{joined}[post{i}]" for i in range(channels)]
    join = ("".join(f"[post{i}]" for i in range(channels))
            + f"join=inputs={channels}:channel_layout={channels}c")
    return ";".join([split, *branches, join])


# ----------------------------------------------------------------------------- the audio

@dataclass(frozen=True)
class AudioSource:
    """The audio as the pre-processors receive it: the chosen stream after the plan's mix.

    Handed to ``Preprocessor.measure``; ``blocks`` decodes it through a pipe, so memory stays
    at one block however long the recording is.
    """

    path: Path
    audio_index: int  # ffmpeg's 0:a:N
    channels: int  # after the mix
    pan: str | None  # the plan's pan filter arguments, None when nothing is mixed
    duration: float | None  # seconds, from the container; None when it does not say

    def blocks(self, *, start: float = 0.0, seconds: float | None = None, rate: int = 8000,
               block_seconds: float = 1.0) -> Iterator:
        """float32 (frames, channels) blocks at ``rate``, from ``start`` (seeking) for
        ``seconds`` (to the end when None)."""
        from symbl_media.media import ffmpeg

        args: list[str] = []
        if start > 0:
            args += ["-ss", f"{start:.3f}"]
        if seconds is not None:
            args += ["-t", f"{seconds:.3f}"]
        args += ["-i", ffmpeg.file_arg(self.path), "-map", f"0:a:{self.audio_index}",
                 "-vn", "-sn", "-dn"]
        if self.pan:
            args += ["-af", f"pan={self.pan}"]
        yield from ffmpeg.pcm_blocks(args, channels=self.channels, rate=rate,
                                     block_frames=max(1, round(rate * block_seconds)),
                                     what="measuring for the pre-processors")


# ----------------------------------------------------------------------------- resolving

def resolve(specs: Iterable[Spec], registry: Mapping[str, object] | None = None, *,
            as_video: bool = False) -> list[tuple[object, dict]]:
    """Check every pre-processor and its options; (Preprocessor, options) in the order given.

    ``registry`` is the pre-processors by name (the plugin manager's ``preprocessors()``): it
    is passed in, so media/ imports nothing above it. Raises PreprocessProblem (exit 2) naming
    the pre-processor and the option. Runs no ffmpeg: the command line calls this before any
    work.
    """
    registry = registry or {}
    out: list[tuple[object, dict]] = []
    seen: set[str] = set()
    for name, pairs in specs:
        pre = registry.get(name)
        if pre is None:
            raise PreprocessProblem(f"--pre {name}: unknown pre-processor (known: "
                                    f"{', '.join(sorted(registry)) or 'none'})")
        if name in seen:
            raise PreprocessProblem(f"--pre {name}: given twice")
        seen.add(name)
        params = dict(pairs)
        unknown = [k for k in params if k not in pre.options]
        if unknown:
            raise PreprocessProblem(f"--pre {name}: unknown option {unknown[0]!r} (options: "
                                    f"{', '.join(pre.options) or 'none'})")
        if as_video and pre.changes_length:
            raise PreprocessProblem(f"--pre {name} changes the length of the audio, so with "
                                    f"--as-video it would no longer line up with the video; "
                                    f"leave out one of them")
        _filter(pre, params)  # values are checked here, before any work
        out.append((pre, params))
    return out


def build(specs: Iterable[Spec], source: AudioSource,
          registry: Mapping[str, object] | None = None, *, as_video: bool = False
          ) -> tuple[Step, ...]:
    """Resolve, measure where a pre-processor asks to, and make the steps of the plan."""
    steps = []
    for pre, params in resolve(specs, registry, as_video=as_video):
        measured = dict(pre.measure(dict(params), source)) if pre.measure else {}
        settings = {**pre.options, **params}
        steps.append(Step(pre.name,
                          tuple((k, v) for k, v in settings.items() if v != ""),
                          tuple((str(k), str(v)) for k, v in measured.items()),
                          _filter(pre, {**params, **measured}),
                          pre.changes_length))
    return tuple(steps)


def _filter(pre, params: dict) -> str:
    try:
        text = pre.filter(dict(params))
    except ValueError as exc:
        raise PreprocessProblem(f"--pre {pre.name}: {exc}") from None
    if not isinstance(text, str) or ";" in text or "[" in text:
        raise PreprocessProblem(f"--pre {pre.name}: the pre-processor gave {text!r}, not a "
                                f"plain filter chain")
    return text.strip().strip(",")
