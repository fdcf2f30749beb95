"""How much audio an MP3 that ffmpeg encoded decodes to, read from its first frame.

ffmpeg's MP3 muxer writes an Info (or Xing) header in the first frame: the number of audio
frames, and a LAME tag with the encoder's delay and padding in samples. A decoder drops those,
so the file decodes to ``frames * samples_per_frame - delay - padding`` samples, which is how
ffmpeg's own MP3 demuxer trims it (libavformat/mp3dec.c, ``mp3_parse_info_tag``). Reading that
takes the first few hundred bytes instead of decoding the whole piece.

Not mutagen: it reads the delay and padding only from tags that start "LAME", and ffmpeg's
(with -fflags +bitexact) start "Lavf" or "Lavc", so it reports the length with the priming
and padding still in (15.084 s for a 15.000 s piece).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_RATES = (44100, 48000, 32000)  # MPEG-1; MPEG-2 halves them, MPEG-2.5 quarters them
# Bytes of side information after the 4-byte frame header: [MPEG-1?][mono?]
_SIDE_INFO = {(True, False): 32, (True, True): 17, (False, False): 17, (False, True): 9}
_ENCODERS = (b"LAME", b"Lavf", b"Lavc")  # the tags ffmpeg trusts for delay and padding
_FRAMES, _BYTES, _TOC, _QUALITY = 1, 2, 4, 8


@dataclass(frozen=True)
class Decoded:
    samples: int
    sample_rate: int

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


def decoded_length(head: bytes) -> Decoded | None:
    """The decoded length stated by the first frame in ``head`` (the file's first bytes), or
    None when it does not state it as ffmpeg writes it (no Info header, no frame count, no
    LAME tag): the caller then decodes the file to know."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    has_crc = not head[1] & 1
    rate_index, mono = (head[2] >> 2) & 3, (head[3] >> 6) == 3
    if version == 1 or layer != 1 or rate_index == 3 or has_crc:  # reserved, not layer III
        return None
    mpeg1 = version == 3
    rate = _RATES[rate_index] >> {3: 0, 2: 1, 0: 2}[version]
    per_frame = 1152 if mpeg1 else 576
    at = 4 + _SIDE_INFO[(mpeg1, mono)]
    if head[at:at + 4] not in (b"Info", b"Xing") or len(head) < at + 12:  # tag, flags, frames
        return None
    flags = struct.unpack_from(">I", head, at + 4)[0]
    if not flags & _FRAMES:
        return None
    at += 8
    frames = struct.unpack_from(">I", head, at)[0]
    at += 4 + (4 if flags & _BYTES else 0) + (100 if flags & _TOC else 0) \
        + (4 if flags & _QUALITY else 0)
    # The LAME tag: 9 bytes of encoder name, 12 bytes of other fields, then delay and padding
    # as two 12-bit numbers.
    if len(head) < at + 24 or head[at:at + 4] not in _ENCODERS or not frames:
        return None
    pads = int.from_bytes(head[at + 21:at + 24], "big")
    samples = frames * per_frame - (pads >> 12) - (pads & 0xFFF)
    return Decoded(samples, rate) if samples > 0 else None
