"""Cut a source at planned points without re-encoding, and read back what was really written.

MP3 and MP4 are cut by ffmpeg's segment muxer, which only cuts between packets: that is why
every offset and duration comes from the written files, never from the planned cut points.
(WAV is cut sample-exactly as it is decoded: ``piece_files``.)
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import ProcessingError
from symbl_media.media import ffmpeg, lame_tag
from symbl_media.media.chunking import Cut

CHUNK = 1 << 20
HEAD = 4096  # the first frame, with its Info header and LAME tag, is well inside this


@dataclass(frozen=True)
class Written:
    path: Path
    duration: float
    size: int | None = None  # bytes and sha256 when hashed while written, else read back
    sha256: str | None = None


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


def encoded_mp3(path: Path) -> Written:
    """An MP3 we just encoded, read once: hashed, its length taken from its first frame
    (``lame_tag``). Its Info header is rewritten when ffmpeg finishes, so it cannot be hashed
    while ffmpeg writes it; reading it once here replaces a decode plus a second read."""
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                if len(head) < HEAD:
                    head += chunk[:HEAD - len(head)]
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise ProcessingError(f"cannot read {path.name} back ({exc.strerror})") from None
    stated = lame_tag.decoded_length(head)
    # Without the tag (another encoder's header), decoding it is the only way to know.
    duration = stated.seconds if stated is not None else media_duration(path)
    return Written(path, duration, size, digest.hexdigest())


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
