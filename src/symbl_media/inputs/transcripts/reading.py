"""The bytes of a transcript file as text: size cap, encodings (BOMs), one-line
error messages that start with the path."""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from symbl_media.errors import InputNotFound, TextInputError

# The sandbox refuses JSON bodies above 10 MiB (server/http.py read_json); a transcript larger
# than that cannot become a body that fits, so it is refused before it is read.
MAX_BYTES = 10 * 1024 * 1024

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def shown(path: Path) -> str:
    """The path for a message: a newline in a file name must not break the one-line promise."""
    return printable(str(path))


def printable(text: str) -> str:
    """``text`` with control characters escaped, and lone surrogates (the undecodable bytes
    of a file name) shown as the byte they stand for."""
    out = []
    for c in text:
        if c.isprintable():
            out.append(c)
        elif 0xDC80 <= ord(c) <= 0xDCFF:
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def read_bytes(path: Path, where: str) -> bytes:
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in it
        raise InputNotFound(f"{where}: no such file") from None
    except PermissionError:
        raise InputNotFound(f"{where}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputNotFound(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputNotFound(f"{where}: is a directory, not a transcript")
    if not stat.S_ISREG(info.st_mode):
        raise InputNotFound(f"{where}: is not a regular file")
    too_big = TextInputError(f"{where}: is larger than {MAX_BYTES // (1024 * 1024)} MiB, the "
                             f"most a text submission may carry")
    if info.st_size > MAX_BYTES:
        raise too_big
    try:
        with path.open("rb") as fh:
            # Bounded even if the file grew after stat.
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputNotFound(f"{where}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise TextInputError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise too_big
    if not data:
        raise TextInputError(f"{where}: is empty (0 bytes)")
    return data


def decode(where: str, data: bytes) -> str:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            break
    else:
        bom, codec, label = b"", "utf-8", "UTF-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise TextInputError(f"{where}: is not {label} text (undecodable bytes at offset "
                             f"{len(bom) + exc.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise TextInputError(f"{where}: contains NUL characters: not a text file")
    if not text.strip():
        raise TextInputError(f"{where}: contains no messages (only white space)")
    return text


def split_lines(text: str) -> list[str]:
    # Only real line breaks: str.splitlines would also split on form feeds and U+2028.
    return re.split(r"\r\n|\r|\n", text)


def squeeze(text: str) -> str:
    return " ".join(text.split())
