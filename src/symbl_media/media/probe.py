"""ffprobe JSON → MediaInfo. Errors name the file and say what is wrong in one line."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from symbl_media.errors import InputNotFound, NoAudio, NotMedia, ProcessingError
from symbl_media.media import ffmpeg
from symbl_media.media.layouts import channel_names


@dataclass(frozen=True)
class AudioStream:
    index: int  # index among all streams of the file
    audio_index: int  # index among audio streams only: ffmpeg's 0:a:N
    codec: str
    sample_rate: int
    channels: int
    layout: str
    language: str | None
    title: str | None
    bit_rate: int | None

    @property
    def channel_names(self) -> tuple[str, ...]:
        return channel_names(self.layout, self.channels)


@dataclass(frozen=True)
class VideoStream:
    index: int
    codec: str
    width: int
    height: int
    attached_picture: bool  # cover art in an mp3/m4a, not a real video


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    size: int
    container: str  # ffprobe format_name, e.g. "matroska,webm" or "wav"
    container_long: str
    duration: float | None  # None when the header does not say (some browser webm)
    audio: tuple[AudioStream, ...]
    video: tuple[VideoStream, ...]

    @property
    def has_video(self) -> bool:
        return any(not v.attached_picture for v in self.video)

    def to_json(self) -> dict:
        return {
            "path": str(self.path),
            "bytes": self.size,
            "container": self.container,
            "container_long": self.container_long,
            "duration": self.duration,
            "has_video": self.has_video,
            "audio_streams": [
                {"audio_index": a.audio_index, "stream_index": a.index, "codec": a.codec,
                 "sample_rate": a.sample_rate, "channels": a.channels, "layout": a.layout,
                 "language": a.language, "title": a.title, "bit_rate": a.bit_rate}
                for a in self.audio
            ],
            "video_streams": [
                {"stream_index": v.index, "codec": v.codec, "width": v.width,
                 "height": v.height, "attached_picture": v.attached_picture}
                for v in self.video
            ],
        }


def check_readable(path: Path) -> None:
    """Refuse what is not a regular, readable, non-empty file before ffprobe sees it."""
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if path.is_dir():
        raise InputNotFound(f"{path}: is a directory, not a recording")
    if not path.is_file():
        raise InputNotFound(f"{path}: is not a regular file")
    if not os.access(path, os.R_OK):
        raise InputNotFound(f"{path}: cannot be read (permission denied)")
    if path.stat().st_size == 0:
        raise NotMedia(f"{path}: is empty (0 bytes)")


def probe(path: os.PathLike | str) -> MediaInfo:
    """Describe a recording; raises InputNotFound, NotMedia or NoAudio with one-line messages."""
    path = Path(path)
    check_readable(path)
    try:
        data = ffmpeg.probe_json(path)
    except ProcessingError as exc:
        raise NotMedia(f"{path}: not a recording ffmpeg can read ({exc})") from None
    info = parse_probe(path, data)
    if not info.audio:
        what = ", ".join(v.codec for v in info.video) or "no streams at all"
        raise NoAudio(f"{path}: has no audio stream ({what})")
    return info


# Longer than any recording: a header stating this much is damaged (parse_probe then calls the
# length unknown, so the comparison with what decodes could not catch it).
ABSURD_SECONDS = 10 * 24 * 3600

# Raw elementary streams (ADTS AAC, AC-3, E-AC-3) state no length anywhere: ffprobe divides the
# file's size by the first frames' bitrate ("Estimating duration from bitrate"). A variable
# bitrate makes that far off (15 s of ffmpeg's own ADTS AAC: 26.4 s), and a cut-off file gets a
# proportionally shorter estimate, so comparing it with what decodes tells nothing.
ESTIMATED_LENGTH = frozenset({"aac", "ac3", "eac3"})


def declares_length(info: MediaInfo) -> bool:
    """Whether ``info.duration`` is a length the file states, not an estimate from its size."""
    return info.container not in ESTIMATED_LENGTH
# A WAV data size that means "unknown": streaming writers (ffmpeg to a pipe, sox) put these.
_WAV_UNKNOWN_SIZES = (0, 0xFFFFFFFF, 0x7FFFFFFF)


def check_declared_length(info: MediaInfo) -> None:
    """Refuse a local file whose header promises much more audio than the file holds: that is
    what a cut-off copy looks like, and sending the part that is there would pass off a
    fragment as the recording. The rule and tolerance of pipeline.check_complete, for the two
    cases it cannot see: a length beyond ABSURD_SECONDS (parse_probe calls it unknown), and a
    WAV (ffprobe bounds a WAV's length by the file's size, so a truncated WAV looks whole).

    Not part of ``probe``, which the sandbox uses to accept uploads too; the preparation
    calls it (pipeline.inspect_ahead) before decoding."""
    from symbl_media.durations import tenths as clock

    path = info.path
    if info.duration is None:  # not stated, or absurd: ask ffprobe what the header says
        try:
            fmt = ffmpeg.probe_json(path).get("format") or {}
            stated = float(str(fmt.get("duration")))
        except (ProcessingError, AttributeError, TypeError, ValueError):
            stated = None
        if stated is not None and ABSURD_SECONDS <= stated < float("inf"):
            raise NotMedia(f"{path}: truncated or damaged: its header declares "
                           f"{stated / 86400:.0f} days, more than any recording lasts")
    if info.container != "wav":
        return
    declared = _wav_data(path)
    if declared is None:
        return
    start, size, byte_rate = declared
    held = max(0, info.size - start)
    if size <= held or byte_rate <= 0:
        return
    promised, holds = size / byte_rate, held / byte_rate
    if promised - holds > max(2.0, 0.05 * promised):
        raise NotMedia(f"{path}: truncated or damaged: its header declares {clock(promised)} "
                       f"but the file holds {clock(holds)}")


def _wav_data(path: Path) -> tuple[int, int, int] | None:
    """(offset of the samples, data size the header states, bytes per second) of a RIFF WAV,
    or None when the header does not state them (RF64, streamed, unreadable)."""
    import struct

    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return None
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    at, byte_rate = 12, 0
    while at + 8 <= len(head):
        kind, size = head[at:at + 4], struct.unpack_from("<I", head, at + 4)[0]
        if kind == b"fmt " and at + 20 <= len(head):
            byte_rate = struct.unpack_from("<I", head, at + 16)[0]
        elif kind == b"data":
            if size in _WAV_UNKNOWN_SIZES or not byte_rate:
                return None
            return at + 8, size, byte_rate
        at += 8 + size + (size & 1)
    return None


# Demuxers that accept almost any bytes: a text file "probes" as ANSI art or raw subtitles.
_NOT_RECORDINGS = {"tty", "txt", "srt", "webvtt", "ass", "image2", "png_pipe", "jpeg_pipe"}


def parse_probe(path: Path, data: dict) -> MediaInfo:
    """Turn ffprobe's JSON into MediaInfo. Untrusted input: every field is optional."""
    fmt = data.get("format") if isinstance(data, dict) else None
    fmt = fmt if isinstance(fmt, dict) else {}
    container = fmt.get("format_name")
    container = container if isinstance(container, str) else ""
    streams = data.get("streams") if isinstance(data, dict) else None
    streams = streams if isinstance(streams, list) else []
    if not container or container in _NOT_RECORDINGS or not streams:
        raise NotMedia(f"{path}: not a recording (ffprobe sees {container or 'nothing'})")
    audio: list[AudioStream] = []
    video: list[VideoStream] = []
    for raw in streams:
        if not isinstance(raw, dict):
            continue
        kind = raw.get("codec_type")
        tags = raw.get("tags") if isinstance(raw.get("tags"), dict) else {}
        if kind == "audio":
            channels = _int(raw.get("channels"))
            rate = _int(raw.get("sample_rate"))
            if not channels or not rate or channels > 64 or rate > 768_000:
                continue  # no (or an absurd) rate or channel count: nothing to decode
            audio.append(AudioStream(
                index=_int(raw.get("index")) or 0,
                audio_index=len(audio),
                codec=_text(raw.get("codec_name")) or "unknown",
                sample_rate=rate,
                channels=channels,
                layout=_text(raw.get("channel_layout")),
                language=_tag(tags, "language"),
                title=_tag(tags, "title"),
                bit_rate=_int(raw.get("bit_rate")),
            ))
        elif kind == "video":
            disposition = raw.get("disposition") if isinstance(raw.get("disposition"), dict) else {}
            video.append(VideoStream(
                index=_int(raw.get("index")) or 0,
                codec=_text(raw.get("codec_name")) or "unknown",
                width=_int(raw.get("width")) or 0,
                height=_int(raw.get("height")) or 0,
                attached_picture=bool(disposition.get("attached_pic")),
            ))
    return MediaInfo(
        path=path,
        size=_int(fmt.get("size")) or path.stat().st_size,
        container=container,
        container_long=_text(fmt.get("format_long_name")) or container,
        duration=_duration(fmt.get("duration")),
        audio=tuple(audio),
        video=tuple(video),
    )


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _int(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _duration(value) -> float | None:
    try:
        seconds = float(str(value))
    except (TypeError, ValueError):
        return None
    # Broken headers declare NaN, negative or absurd lengths; treat them as "not stated".
    if not (0 < seconds < 10 * 24 * 3600):
        return None
    return seconds


def _tag(tags: dict, key: str) -> str | None:
    for name, value in tags.items():
        if str(name).lower() == key and str(value).strip() and str(value) != "und":
            return str(value).strip()
    return None


def parse_probe_url(label: str, data: dict) -> MediaInfo:
    """parse_probe for ffprobe's JSON about an http(s) URL (ffmpeg.probe_url_json).

    ``label`` (pass a redacted URL) becomes ``path``: pathlib folds its ``//``, but ``.name``
    and ``.stem`` stay the URL's file name. A size the server did not state is 0.
    """
    data = data if isinstance(data, dict) else {}
    fmt = data.get("format") if isinstance(data.get("format"), dict) else {}
    size = _int(fmt.get("size")) or 0
    # parse_probe stats the path when ffprobe states no size; a URL has nothing to stat, so
    # hand it a placeholder and put the real (maybe unknown: 0) size back afterwards.
    info = parse_probe(Path(label), {**data, "format": {**fmt, "size": "1"}})
    return replace(info, size=size)
