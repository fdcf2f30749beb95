"""The one ffmpeg pass: pick the stream, mix to mono as planned, run the pre-processors,
resample, encode. File to file.

Written out by hand, whisper-style, so the whole job reads as one command line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from symbl_media.media import ffmpeg
from symbl_media.media.plan import Plan

# Byte-for-byte repeatable output: no encoder version strings, no random ids, no tags.
_BITEXACT = ["-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact",
             "-flags:a", "+bitexact"]


def extraction_args(plan: Plan, out: Path, filters: tuple[str, ...] = (),
                    fmt: str | None = None, source: list[str] | None = None) -> list[str]:
    """ffmpeg arguments (after the global ones) that turn the source into ``out``.

    ``fmt="wav"`` overrides an MP3 target: chunked MP3 is cut as WAV and encoded per piece.
    ``source``: the input's arguments, when it is not the file itself but the stream already
    decoded (``split.py``: raw samples on a pipe, its one audio stream taken).
    """
    target = plan.target
    # The mix first, then the pre-processors (--pre) on what it gives, then -ac/-ar: the
    # pre-processors see the audio at the source's rate, and only once it is what is sent.
    chain = [f for f in ((plan.channels.pan and f"pan={plan.channels.pan}"),
                         plan.preprocess_filter, *filters) if f]
    index = 0 if source else plan.stream.stream.audio_index
    audio = ["-map", f"0:a:{index}"]
    if chain:
        audio += ["-af", ",".join(chain)]
    audio += ["-ac", str(target.channels), "-ar", str(target.sample_rate)]
    src = source or ["-i", ffmpeg.file_arg(plan.info.path)]
    if target.format == "mp4":
        video = next(v for v in plan.info.video if not v.attached_picture)
        vcodec = (["-c:v", "copy"] if video.codec == "h264" else
                  # H.264 in 4:2:0 needs even sides: trim an odd row or column.
                  ["-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p",
                   "-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2"])
        return [*src, "-map", f"0:{video.index}", *vcodec, *audio, "-c:a", "aac", "-b:a", "64k",
                "-sn", "-dn", "-movflags", "+faststart", *_BITEXACT, "-flags:v", "+bitexact",
                "-f", "mp4", ffmpeg.file_arg(out)]
    # fmt="s16le": the same samples, raw, for the parts of a parallel decode (parallel.py)
    codec = (_mp3(target.mode) if (fmt or target.format) == "mp3" else
             ["-c:a", "pcm_s16le", "-f", "s16le" if fmt == "s16le" else "wav"])
    return [*src, "-vn", "-sn", "-dn", *audio, *codec, *_BITEXACT, ffmpeg.file_arg(out)]


def _mp3(mode: str) -> list[str]:
    # Each MP3 keeps its LAME header, whose delay and padding fields let decoders (and our
    # read-back of durations) drop the encoder's priming samples.
    bitrate = "32k" if mode == "phone" else "64k"
    return ["-c:a", "libmp3lame", "-b:a", bitrate, "-id3v2_version", "0", "-f", "mp3"]


def extract(plan: Plan, out: Path, *, on_progress: Callable[[float], None] | None = None,
            filters: tuple[str, ...] = (), fmt: str | None = None,
            stopper: ffmpeg.Stopper | None = None) -> None:
    ffmpeg.run_ffmpeg(extraction_args(plan, out, filters, fmt),
                      what="extracting audio", on_progress=on_progress, stopper=stopper)


def encode_mp3(wav: Path, out: Path, mode: str) -> None:
    """Encode one already-mono WAV piece to MP3."""
    ffmpeg.run_ffmpeg(["-i", ffmpeg.file_arg(wav), "-map", "0:a:0", *_mp3(mode), *_BITEXACT,
                       ffmpeg.file_arg(out)], what=f"encoding {wav.name} to MP3")
