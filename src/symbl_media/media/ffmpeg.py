"""The one place that runs ffmpeg and ffprobe.

Rules (after yt-dlp's real_run_ffmpeg): argument lists, never a shell; every path goes through
``file_arg`` so a file named ``-y.wav`` or ``a:b.wav`` is read as a file; ``-nostdin`` so ffmpeg
never eats the terminal; on failure the last stderr line becomes the error text; and (on Linux)
an ffmpeg writing a file dies with the process that started it, even one killed with SIGKILL.
"""

from __future__ import annotations

import collections
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from symbl_media.errors import ProcessingError, ToolMissing

if TYPE_CHECKING:  # numpy is imported only where samples are read
    import numpy

INSTALL_HINT = "install it with 'apt-get install ffmpeg' (or run scripts/setup)"


def binary(name: str) -> str:
    """Absolute path of ffmpeg or ffprobe, or a ToolMissing error that says how to get it."""
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} was not found on PATH; {INSTALL_HINT}")
    return path


def file_arg(path: os.PathLike | str) -> str:
    """Spell a path so ffmpeg cannot mistake it for an option or a protocol."""
    return "file:" + os.fspath(Path(path).absolute())


class _StderrTail:
    """Drains a pipe in a thread, keeping only the last lines (stderr can be endless)."""

    def __init__(self, pipe) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=30)
        self._thread = threading.Thread(target=self._drain, args=(pipe,), daemon=True)
        self._thread.start()

    def _drain(self, pipe) -> None:
        for raw in iter(pipe.readline, b""):
            line = raw.decode("utf-8", "replace").strip()
            if line:
                self.lines.append(line)
        pipe.close()

    def last(self) -> str:
        self._thread.join(timeout=5)
        return self.lines[-1] if self.lines else "no message from ffmpeg"


def _clean(message: str) -> str:
    # ffmpeg prefixes messages with the input spelling ("file:/abs/x.mp4: ..."); the caller
    # names the file itself, so keep only what ffmpeg says about it.
    if message.startswith("file:"):
        _, sep, tail = message.partition(": ")
        if sep:
            return tail
    return message


# Run in the child between setpriv and ffmpeg: $PPID is read when sh starts, after setpriv
# asked for the death signal, so a parent that died before that is caught here.
_GUARD = '[ "$PPID" = "$1" ] || exit 137; shift; exec "$@"'
# The same without setpriv (util-linux): a short Python that asks for it through prctl.
_PY_GUARD = (
    "import ctypes, os, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)\n"  # PR_SET_PDEATHSIG, SIGKILL
    "os.getppid() == int(sys.argv[1]) or os._exit(137)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)
@functools.cache
def _setpriv() -> str | None:
    """util-linux's setpriv, looked up once; None where it is missing."""
    return shutil.which("setpriv")


def dying_with_parent(argv: Sequence[str]) -> list[str]:
    """``argv`` wrapped so the child dies with this process (Linux), started without a fork.

    A CLI killed with SIGKILL (``kill -9``, the OOM killer) cannot stop its ffmpeg, which ran
    on, orphaned, to the end of its extraction or encoding (ffmpeg ignores SIGPIPE, and a
    failed write of -progress does not stop it): writing for minutes into a work folder that
    the next run (``resume``) cleans and cuts into again. On Linux the child asks the kernel
    for SIGKILL when its parent goes (PR_SET_PDEATHSIG).

    That request used to be made by a ``preexec_fn``, which forces ``subprocess`` to call a
    real ``fork()`` instead of ``vfork``: fork runs every library's at-fork handlers, and
    OpenBLAS's (numpy, faster-whisper's feature extractor) joins its worker threads while the
    GIL is held, so a fork during a matrix product in another thread stopped the whole process
    for good (the sandbox, or a CLI running it embedded). Python's docs warn that preexec_fn is
    not safe with threads. So the request is made in the child after exec instead: by
    ``setpriv --pdeathsig KILL`` and a one-line sh that checks the parent is still ours (a
    parent that died before the request leaves the child with another parent), then execs
    ffmpeg; without setpriv, by a short Python doing the same. The kernel sends the signal when
    the *thread* that started the child ends: fine, as callers wait for their child in the
    thread that started it. Other platforms run ``argv`` as it is (the child outlives a killed
    parent there, as before).
    """
    if not sys.platform.startswith("linux"):
        return list(argv)
    setpriv = _setpriv()
    parent = str(os.getpid())
    if setpriv:
        return [setpriv, "--pdeathsig", "KILL", "--", "/bin/sh", "-c", _GUARD, "symbl-media",
                parent, *argv]
    return [sys.executable, "-S", "-c", _PY_GUARD, parent, *argv]


class Stopper:
    """Lets another thread stop a run's ffmpeg processes at once (a decode in the background
    whose reader gave up). A process started after ``stop`` is killed as it is watched."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: list[subprocess.Popen] = []
        self.stopped = False

    def watch(self, proc: subprocess.Popen) -> None:
        with self._lock:
            self._procs.append(proc)
            stopped = self.stopped
        if stopped:
            _kill(proc)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            procs = list(self._procs)
        for proc in procs:
            _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        proc.kill()  # a no-op once the process has been waited for
    except OSError:
        pass


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def run_ffmpeg(
    args: Sequence[str],
    *,
    what: str,
    on_progress: Callable[[float], None] | None = None,
    stopper: Stopper | None = None,
    stdin: int | None = None,
) -> None:
    """Run ffmpeg file to file; report output time in seconds through ``on_progress``.

    ``stdin``: a pipe's read end for ffmpeg's ``pipe:0``, closed here once ffmpeg has it (so
    that ffmpeg is its only reader: the writer sees a broken pipe when ffmpeg ends)."""
    try:
        argv = [binary("ffmpeg"), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-nostats", "-progress", "pipe:1", *args]
        # No preexec_fn, ever: see dying_with_parent.
        proc = subprocess.Popen(dying_with_parent(argv),
                                stdin=subprocess.DEVNULL if stdin is None else stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        if stdin is not None:
            os.close(stdin)
    if stopper is not None:
        stopper.watch(proc)
    try:
        tail = _StderrTail(proc.stderr)
        for raw in proc.stdout:
            key, _, value = raw.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us" and on_progress is not None and value.isdigit():
                on_progress(int(value) / 1e6)
        code = proc.wait()
    except BaseException:
        _stop(proc)
        raise
    if code != 0:
        raise ProcessingError(f"{what}: ffmpeg failed: {why_it_ended(code, tail)}")


def why_it_ended(code: int, tail) -> str:
    """ffmpeg's last words, or the signal that ended it (the OOM killer leaves no message)."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"ffmpeg was killed ({name}); run the same command again to carry on"
    return _clean(tail.last())


def probe_json(path: os.PathLike | str) -> dict:
    """ffprobe's JSON for a file; raises ProcessingError carrying ffprobe's last line.

    ffmpeg-python's probe is a thin, correct wrapper; its graph builder is not used because it
    over-escapes filter arguments (``pan=mono|c0=...`` reaches ffmpeg as ``c0\\\\\\=``).
    """
    import ffmpeg as ffmpeg_python

    try:
        return ffmpeg_python.probe(file_arg(path), cmd=binary("ffprobe"), v="error",
                                   hide_banner=None)
    except ffmpeg_python.Error as exc:
        lines = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ProcessingError(_clean(lines[-1]) if lines else "ffprobe could not read it") from None
    except ValueError:
        raise ProcessingError("ffprobe printed something that is not JSON") from None


def pcm_blocks(
    input_args: Sequence[str],
    *,
    channels: int,
    rate: int,
    block_frames: int,
    output_args: Sequence[str] = (),
    what: str,
) -> Iterator[numpy.ndarray]:
    """Decode to float32 PCM through a pipe, yielding (frames, channels) blocks.

    Memory stays at one block however long the recording is.
    """
    import numpy as np

    argv = [binary("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", *input_args,
            *output_args, "-ar", str(rate), "-f", "f32le", "-c:a", "pcm_f32le", "pipe:1"]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    block_bytes = block_frames * channels * 4
    try:
        tail = _StderrTail(proc.stderr)
        leftover = b""
        while True:
            data = proc.stdout.read(block_bytes)
            if not data:
                break
            data = leftover + data
            usable = len(data) - len(data) % (channels * 4)
            leftover = data[usable:]
            if usable:
                yield np.frombuffer(data[:usable], dtype="<f4").reshape(-1, channels)
        code = proc.wait()
    finally:
        _stop(proc)
    if code != 0:
        raise ProcessingError(f"{what}: ffmpeg failed: {why_it_ended(code, tail)}")


def probe_url_json(url: str, *, timeout: float) -> dict:
    """ffprobe's JSON for an http(s) URL, read in place (headers and what the demuxer needs).

    ``timeout`` bounds every network read (``-rw_timeout``); the whole run is capped at four
    times that, so a server that trickles bytes cannot hold it either. Redirects are not
    followed (Symbl does not follow them) and only network protocols are allowed, so a playlist
    at the URL cannot point ffprobe at local files. Raises ProcessingError with ffprobe's last
    line, with the URL itself cut out of it (it may carry credentials).
    """
    from symbl_media.media.relay import relayed

    scheme, sep, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not sep:
        raise ValueError("probe_url_json takes only http(s) URLs")
    url = scheme.lower() + sep + rest
    # The URL itself (its query may be a signature) never goes on ffprobe's command line,
    # which every user can read: ffprobe reads it through a relay on loopback (relay.py).
    with relayed(url, timeout=timeout) as local:
        argv = [binary("ffprobe"), "-hide_banner", "-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", "-protocol_whitelist", "http,tcp",
                "-rw_timeout", str(max(1, int(timeout * 1e6))), "-max_redirects", "0",
                "-i", local]
        try:
            done = subprocess.run(argv, check=False, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=4 * timeout)
        except subprocess.TimeoutExpired:
            raise ProcessingError(f"ffprobe took longer than {4 * timeout:g} s") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        message = lines[-1].replace(local, "").lstrip(": ") if lines else ""
        raise ProcessingError(message or "ffprobe could not read it")
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise ProcessingError("ffprobe printed something that is not JSON") from None
