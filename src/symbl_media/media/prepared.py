"""What ``prepare`` leaves behind: the pieces and DIR/manifest.json describing them."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from symbl_media import __version__
from symbl_media.media.plan import Plan

MANIFEST = "manifest.json"
FORMAT = "symbl-media/prepared"


@dataclass(frozen=True)
class PreparedPiece:
    file: str  # name within the output folder
    content_type: str
    offset: float  # seconds from the start of the recording
    duration: float
    bytes: int
    sha256: str
    cut_in_silence: bool | None  # how this piece ends; None for the last piece

    def to_json(self) -> dict:
        return {"file": self.file, "content_type": self.content_type,
                "offset": round(self.offset, 6), "duration": round(self.duration, 6),
                "bytes": self.bytes, "sha256": self.sha256,
                "cut_in_silence": self.cut_in_silence}


@dataclass(frozen=True)
class Prepared:
    folder: Path
    plan: Plan
    pieces: tuple[PreparedPiece, ...]

    @property
    def duration(self) -> float:
        return sum(p.duration for p in self.pieces)

    def to_json(self) -> dict:
        info = self.plan.info
        stat = info.path.stat()
        return {
            "format": FORMAT,
            "version": 1,
            "tool": f"symbl-media {__version__}",
            "source": {"path": str(info.path.absolute()), "bytes": info.size,
                       "mtime": stat.st_mtime, "container": info.container,
                       "duration": info.duration},
            "decisions": plan_to_json(self.plan),
            "parameters": api_parameters(self.plan),
            "duration": round(self.duration, 6),
            "pieces": [p.to_json() for p in self.pieces],
        }


def plan_to_json(plan: Plan) -> dict:
    s, c, t, k = plan.stream.stream, plan.channels, plan.target, plan.chunking
    return {
        "stream": {"audio_index": s.audio_index, "stream_index": s.index, "codec": s.codec,
                   "channels": s.channels, "layout": s.layout, "language": s.language,
                   "reason": plan.stream.reason,
                   **({"warning": plan.stream.warning} if plan.stream.warning else {})},
        "channels": {"mix": c.mix, "filter": c.pan and f"pan={c.pan}", "channels": c.channels,
                     "reason": c.reason, "measured": plan.stats.to_json()},
        "target": {"format": t.format, "content_type": t.content_type, "endpoint": t.endpoint,
                   "passthrough": t.passthrough, "sample_rate": t.sample_rate,
                   "channels": t.channels, "mode": t.mode, "reason": t.reason},
        "pieces": {"piece_seconds": k.piece_seconds, "estimated": plan.estimated_pieces(),
                   "reason": k.reason},
        "decoding": plan.decoding.to_json(),
        # In the order they run, after the channel mix; "filter" is the whole chain as it
        # goes into the ffmpeg pass (split per channel when the channels are kept).
        "preprocess": {"steps": [s.to_json() for s in plan.preprocess],
                       "filter": plan.preprocess_filter},
    }


def api_parameters(plan: Plan) -> dict:
    """Async API options that follow from the preparation itself."""
    params: dict = {"mode": plan.target.mode}
    if plan.channels.mix == "keep":
        params["enableSeparateRecognitionPerChannel"] = True
        if plan.speakers:
            params["channelMetadata"] = [s.to_json() for s in plan.speakers]
    return params


def write_json_atomic(path: Path, data: dict) -> None:
    """Write to a temporary name in the same folder, fsync, then rename into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; this file is not a secret
        try:
            text = json.dumps(data, indent=2, ensure_ascii=False)
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A file name that is not UTF-8 (undecodable bytes): \u escapes keep it exact.
            text = json.dumps(data, indent=2)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut after it keeps the new file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot sync a folder; the file itself was synced
    finally:
        os.close(fd)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def read_manifest(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None
