"""Cut prepared audio at planned points, and read back what was really written.

WAV is cut sample-exactly with soundfile, one block at a time. MP3 and MP4 are cut without
re-encoding by ffmpeg's segment muxer, which only cuts between packets: that is why every
offset and duration comes from the written files, never from the planned cut points.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import ProcessingError
from symbl_media.media import ffmpeg
from symbl_media.media.chunking import Cut

BLOCK = 1 << 16  # frames per read/write while cutting a WAV


@dataclass(frozen=True)
class Written:
    path: Path
    duration: float


def cut_wav(src: Path, cuts: tuple[Cut, ...], dest: Path, stem: str) -> Iterator[Written]:
    """Write one WAV per piece into ``dest``, yielding each as soon as it is complete."""
    import soundfile as sf

    with sf.SoundFile(str(src)) as audio:
        rate, total = audio.samplerate, audio.frames
        # Samples travel as the integers they are; int16 for 16-bit moves 4x less than float.
        dtype = "int16" if audio.subtype == "PCM_16" else "int32"
        bounds = [0, *(round(c.at * rate) for c in cuts), total]
        for n, (start, end) in enumerate(zip(bounds, bounds[1:]), 1):
            out = dest / f"{stem}-{n:03d}.wav"
            audio.seek(start)
            try:
                with sf.SoundFile(str(out), "w", samplerate=rate, channels=audio.channels,
                                  subtype=audio.subtype, format="WAV") as piece:
                    left = end - start
                    while left > 0:
                        block = audio.read(min(BLOCK, left), dtype=dtype, always_2d=True)
                        if not len(block):
                            break
                        piece.write(block)
                        left -= len(block)
            except (sf.LibsndfileError, OSError, RuntimeError, AssertionError) as exc:
                # soundfile asserts on a short write (a disk that filled up mid-piece).
                raise ProcessingError(f"cannot write {out.name}: {_why(dest, exc)}") from None
            yield Written(out, wav_duration(out))


def _why(folder: Path, exc: Exception) -> str:
    """libsndfile says only "System error": a full disk is the usual cause, so look."""
    try:
        free = os.statvfs(folder)
        if free.f_bavail * free.f_frsize < 1 << 20:
            return "no space left on the device"
    except OSError:
        pass
    return getattr(exc, "strerror", None) or str(exc)


def cut_copy(src: Path, cuts: tuple[Cut, ...], dest: Path, stem: str, fmt: str) -> list[Written]:
    """Cut an MP3 or MP4 between packets at (or just after) each cut point."""
    # The segment muxer reads '%' as a pattern character anywhere in the name.
    pattern = os.path.join(str(dest).replace("%", "%%"), f"{stem}-%03d.{fmt}")
    times = ",".join(f"{c.at:.3f}" for c in cuts)
    maps = ["-map", "0:v:0", "-map", "0:a:0"] if fmt == "mp4" else ["-map", "0:a:0"]
    args = ["-i", ffmpeg.file_arg(src), *maps, "-c", "copy", "-map_metadata", "-1",
            "-f", "segment", "-segment_times", times, "-segment_start_number", "1",
            "-reset_timestamps", "1", "-segment_format", fmt]
    if fmt == "mp4":
        args += ["-segment_format_options", "movflags=+faststart"]
    ffmpeg.run_ffmpeg([*args, "file:" + pattern], what="cutting pieces")
    written = sorted(dest.glob(f"{stem}-*.{fmt}"))
    return [Written(p, media_duration(p)) for p in written]


def wav_duration(path: Path) -> float:
    import soundfile as sf

    info = sf.info(str(path))
    return info.frames / info.samplerate


def media_duration(path: Path) -> float:
    """Seconds of audio a decoder gets out of the file.

    For MP3 this differs from what ffprobe states: the header's length counts the encoder's
    priming and padding samples (about 80 ms per file), which decoders drop.
    """
    if path.suffix == ".wav":
        return wav_duration(path)
    decoded = [0.0]
    ffmpeg.run_ffmpeg(["-i", ffmpeg.file_arg(path), "-map", "0:a:0", "-f", "null", "-"],
                      what=f"reading back the length of {path.name}",
                      on_progress=lambda s: decoded.__setitem__(0, s))
    return decoded[0]
