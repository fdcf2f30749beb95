"""Turn any recording into what a recogniser reads: 16 kHz mono 16-bit WAV. File to file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import ProcessingError
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


# Bytes a sample takes in a WAV, for the subtypes whose length the header can be trusted
# with (checked against the file's size); others (ADPCM, GSM...) are left to ffprobe.
_SAMPLE_BYTES = {"PCM_U8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8,
                 "ULAW": 1, "ALAW": 1}
# 16 kHz mono WAVs whose samples are floats: made 16-bit here, as ffmpeg would make them.
_FLOATS = ("FLOAT", "DOUBLE")
_BLOCK_FRAMES = 1 << 18  # 16 s of audio at a time: memory stays flat with length


@dataclass(frozen=True)
class WavHeader:
    """What a WAV's header says, read by libsndfile without decoding it."""

    seconds: float
    rate: int
    channels: int
    subtype: str  # libsndfile's: "PCM_16", "FLOAT", ...

    @property
    def is_recognition_wav(self) -> bool:
        """Already what to_recognition_wav makes: 16 kHz mono 16-bit."""
        return (self.rate, self.channels, self.subtype) == (RECOGNITION_RATE, 1, "PCM_16")


def wav_header(path: Path) -> WavHeader | None:
    """The header of a plain WAV (any rate, channels, PCM or float samples), or None for
    anything else, which ffprobe is asked about instead. ffprobe costs a process (about
    60 ms, docs/benchmarks.md) and says the same of such a file."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except (RuntimeError, OSError):  # not a file libsndfile reads: ffprobe will say what it is
        return None
    width = _SAMPLE_BYTES.get(info.subtype)
    if info.format not in ("WAV", "WAVEX") or width is None or info.samplerate <= 0:
        return None
    # A header that claims more samples than the file holds (a stream's WAV): let ffmpeg read it.
    if info.frames <= 0 or info.frames * info.channels * width > Path(path).stat().st_size:
        return None
    return WavHeader(info.frames / info.samplerate, info.samplerate, info.channels,
                     info.subtype)


def recognition_wav_seconds(path: Path) -> float | None:
    """The length of a file that already is what to_recognition_wav makes (a 16 kHz mono
    16-bit WAV), read from its header by libsndfile; None for anything else. Such a file is
    given to the recogniser as it is: ffprobe and ffmpeg over it cost two processes (60 ms and
    60-90 ms a job, docs/benchmarks.md) and give back the same samples."""
    header = wav_header(path)
    return header.seconds if header is not None and header.is_recognition_wav else None


def to_recognition_wav(src: Path, out: Path, *, channel: int | None = None) -> None:
    """Decode the first audio stream to 16 kHz mono WAV; one channel of it when given (0-based).

    Without a channel the channels are averaged, as a service that "takes mono" would do.
    A 16 kHz mono WAV of float samples (AMI's meetings, many recorders) is made 16-bit in
    this process instead of by ffmpeg: the same samples (ffmpeg rounds float * 32768 to the
    nearest, ties to even, and clips, as here), without a process that re-reads the file.
    """
    header = wav_header(src) if channel is None else None
    if header is not None and (header.rate, header.channels) == (RECOGNITION_RATE, 1) \
            and header.subtype in _FLOATS:
        _floats_to_pcm16(src, out)
        return
    mix = ["-af", f"pan=mono|c0=c{channel}"] if channel is not None else ["-ac", "1"]
    ffmpeg.run_ffmpeg(["-i", ffmpeg.file_arg(src), "-map", "0:a:0", "-vn", "-sn", "-dn", *mix,
                       "-ar", str(RECOGNITION_RATE), "-c:a", "pcm_s16le", "-f", "wav",
                       ffmpeg.file_arg(out)], what="decoding the upload")


def _floats_to_pcm16(src: Path, out: Path) -> None:
    import numpy as np
    import soundfile as sf

    try:
        with sf.SoundFile(str(src)) as reader, \
                sf.SoundFile(str(out), "w", samplerate=RECOGNITION_RATE, channels=1,
                             subtype="PCM_16", format="WAV") as writer:
            for block in reader.blocks(blocksize=_BLOCK_FRAMES, dtype="float64"):
                # NaN and infinities (a broken recorder) become silence and full scale.
                block = np.nan_to_num(block, nan=0.0, posinf=1.0, neginf=-1.0)
                writer.write(np.clip(np.rint(block * 32768.0), -32768, 32767)
                             .astype(np.int16))
    except RuntimeError as exc:  # libsndfile: a file cut short after its header
        raise ProcessingError(f"decoding the upload failed: {exc}") from None
