"""The one ffmpeg pass: pick the stream, mix to mono as planned, resample, encode. File to file.

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


def extraction_args(plan: Plan, out: Path, filters: tuple[str, ...] = ()) -> list[str]:
    """ffmpeg arguments (after the global ones) that turn the source into ``out``."""
    target = plan.target
    chain = [f for f in ((plan.channels.pan and f"pan={plan.channels.pan}"), *filters) if f]
    audio = ["-map", f"0:a:{plan.stream.stream.audio_index}"]
    if chain:
        audio += ["-af", ",".join(chain)]
    audio += ["-ac", str(target.channels), "-ar", str(target.sample_rate)]
    src = ["-i", ffmpeg.file_arg(plan.info.path)]
    if target.format == "mp4":
        video = next(v for v in plan.info.video if not v.attached_picture)
        vcodec = (["-c:v", "copy"] if video.codec == "h264" else
                  ["-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p"])
        return [*src, "-map", f"0:{video.index}", *vcodec, *audio, "-c:a", "aac", "-b:a", "64k",
                "-sn", "-dn", "-movflags", "+faststart", *_BITEXACT, "-flags:v", "+bitexact",
                "-f", "mp4", ffmpeg.file_arg(out)]
    if target.format == "mp3":
        bitrate = "32k" if target.mode == "phone" else "64k"
        codec = ["-c:a", "libmp3lame", "-b:a", bitrate, "-id3v2_version", "0", "-f", "mp3"]
    else:
        codec = ["-c:a", "pcm_s16le", "-f", "wav"]
    return [*src, "-vn", "-sn", "-dn", *audio, *codec, *_BITEXACT, ffmpeg.file_arg(out)]


def extract(plan: Plan, out: Path, *, on_progress: Callable[[float], None] | None = None,
            filters: tuple[str, ...] = ()) -> None:
    ffmpeg.run_ffmpeg(extraction_args(plan, out, filters),
                      what=f"{plan.info.path}: extracting audio", on_progress=on_progress)
