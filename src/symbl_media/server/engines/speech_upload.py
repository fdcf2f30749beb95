"""One piece of a recording as the multipart/form-data body of an OpenAI-style transcription
request, read from the WAV while it is sent: only a block of audio is ever in memory, and the
body's length is known before the first byte goes out (no chunked encoding, which some
servers refuse)."""

from __future__ import annotations

import secrets
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path

RATE = 16000
SAMPLE_BYTES = 2  # 16-bit PCM, mono
BLOCK_FRAMES = RATE  # one second of audio per read
WAV_HEADER_BYTES = 44


class PieceBody:
    """``fields`` (name, value) then the audio of frames [first, end) of ``wav`` as
    ``file`` (``piece.wav``, audio/wav). A file-like object with a length, as requests sends
    it; ``reopen()`` gives a fresh one for another try."""

    def __init__(self, wav: Path, first: int, end: int,
                 fields: Sequence[tuple[str, str]]) -> None:
        self.wav, self.first, self.end, self.fields = Path(wav), first, end, tuple(fields)
        self.boundary = "symbl-media-" + secrets.token_hex(12)
        head = b"".join(_field(self.boundary, name, value) for name, value in self.fields)
        head += (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"piece.wav\"\r\nContent-Type: audio/wav\r\n\r\n").encode()
        self._head = head + wav_header(end - first)
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._length = len(self._head) + (end - first) * SAMPLE_BYTES + len(self._tail)
        self._chunks: Iterator[bytes] | None = None
        self._buffer = b""

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return self._length

    def reopen(self) -> PieceBody:
        return PieceBody(self.wav, self.first, self.end, self.fields)

    def __iter__(self) -> Iterator[bytes]:
        yield self._head
        yield from _frames(self.wav, self.first, self.end)
        yield self._tail

    def read(self, size: int = -1) -> bytes:
        if self._chunks is None:
            self._chunks = iter(self)
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def wav_header(frames: int) -> bytes:
    """A RIFF/WAVE header for ``frames`` frames of 16 kHz mono 16-bit PCM."""
    data = frames * SAMPLE_BYTES
    return (b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE" + b"fmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * SAMPLE_BYTES, SAMPLE_BYTES, 16)
            + b"data" + struct.pack("<I", data))


def _field(boundary: str, name: str, value: str) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
            f"{value}\r\n").encode()


def _frames(wav: Path, first: int, end: int) -> Iterator[bytes]:
    import soundfile as sf

    with sf.SoundFile(str(wav)) as source:
        source.seek(first)
        left = end - first
        while left > 0:
            block = source.read(min(BLOCK_FRAMES, left), dtype="int16")
            if not len(block):
                raise OSError(f"{wav}: ended {left} frames early")
            left -= len(block)
            yield block.tobytes()
