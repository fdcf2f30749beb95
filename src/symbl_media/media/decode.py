"""Turn any recording into what a recogniser reads: 16 kHz mono 16-bit WAV. File to file."""

from __future__ import annotations

from pathlib import Path

from symbl_media.media import ffmpeg
from symbl_media.media.probe import MediaInfo

RECOGNITION_RATE = 16000

# What a sniffing server would call each container (Symbl's messages name MIME types).
_MIME = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac",
         "aac": "audio/aac", "amr": "audio/amr", "aiff": "audio/aiff", "ac3": "audio/ac3",
         "asf": "audio/x-ms-wma", "matroska,webm": "audio/webm"}


def mime_type(info: MediaInfo) -> str:
    """The MIME type of a file as sniffed from its content (not its name)."""
    if info.container.startswith("mov,mp4"):
        return "video/mp4" if info.has_video else "audio/mp4"
    if info.container == "matroska,webm" and info.has_video:
        return "video/webm" if all(v.codec in ("vp8", "vp9", "av1") for v in info.video) \
            else "video/x-matroska"
    if info.has_video:
        return f"video/{info.container.split(',')[0]}"
    return _MIME.get(info.container, f"audio/{info.container.split(',')[0]}")


def is_recognition_wav(info: MediaInfo) -> bool:
    """True when the file already is what to_recognition_wav would make (a 16 kHz mono 16-bit
    WAV with one audio stream), so a recogniser can read it as it is: decoding it again costs
    an ffmpeg process (60-90 ms a job, docs/benchmarks.md) and gives the same samples."""
    if info.container != "wav" or len(info.audio) != 1 or info.has_video:
        return False
    stream = info.audio[0]
    return (stream.codec == "pcm_s16le" and stream.sample_rate == RECOGNITION_RATE
            and stream.channels == 1)


def to_recognition_wav(src: Path, out: Path, *, channel: int | None = None) -> None:
    """Decode the first audio stream to 16 kHz mono WAV; one channel of it when given (0-based).

    Without a channel the channels are averaged, as a service that "takes mono" would do.
    """
    mix = ["-af", f"pan=mono|c0=c{channel}"] if channel is not None else ["-ac", "1"]
    ffmpeg.run_ffmpeg(["-i", ffmpeg.file_arg(src), "-map", "0:a:0", "-vn", "-sn", "-dn", *mix,
                       "-ar", str(RECOGNITION_RATE), "-c:a", "pcm_s16le", "-f", "wav",
                       ffmpeg.file_arg(out)], what="decoding the upload")
