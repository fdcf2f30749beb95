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


def recognition_wav_seconds(path: Path) -> float | None:
    """The length of a file that already is what to_recognition_wav makes (a 16 kHz mono
    16-bit WAV), read from its header by libsndfile; None for anything else. Such a file is
    given to the recogniser as it is: ffprobe and ffmpeg over it cost two processes (60 ms and
    60-90 ms a job, docs/benchmarks.md) and give back the same samples."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except (RuntimeError, OSError):  # not a file libsndfile reads: ffprobe will say what it is
        return None
    if (info.format, info.subtype, info.samplerate, info.channels) != \
            ("WAV", "PCM_16", RECOGNITION_RATE, 1):
        return None
    # A header that claims more samples than the file holds (a stream's WAV): let ffmpeg read it.
    if info.frames <= 0 or info.frames * 2 > Path(path).stat().st_size:
        return None
    return info.frames / RECOGNITION_RATE


def to_recognition_wav(src: Path, out: Path, *, channel: int | None = None) -> None:
    """Decode the first audio stream to 16 kHz mono WAV; one channel of it when given (0-based).

    Without a channel the channels are averaged, as a service that "takes mono" would do.
    """
    mix = ["-af", f"pan=mono|c0=c{channel}"] if channel is not None else ["-ac", "1"]
    ffmpeg.run_ffmpeg(["-i", ffmpeg.file_arg(src), "-map", "0:a:0", "-vn", "-sn", "-dn", *mix,
                       "-ar", str(RECOGNITION_RATE), "-c:a", "pcm_s16le", "-f", "wav",
                       ffmpeg.file_arg(out)], what="decoding the upload")
