"""numpy's OpenBLAS held to one thread while the voice encoder runs (see the comment below)."""

from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager

# The LSTM is hundreds of small (64 x 256) @ (256 x 1024) products per window.  OpenBLAS spreads
# each over all cores, and on a busy 2-core machine that made the encoder 5-7 times slower than
# one thread (docs/sandbox-diarization.md), so numpy's OpenBLAS is held to one thread while it
# runs.  Best effort: with another BLAS (MKL, Accelerate) or no /proc, nothing changes.
_BLAS_THREAD_FUNCTIONS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)
_blas_lock = threading.Lock()
_blas_users = 0
_blas_saved: list[tuple[object, int]] = []


def _openblas_controls() -> list[tuple[object, object]]:
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps
                     if "openblas" in line.rsplit("/", 1)[-1].lower() and "/" in line}
    except OSError:
        return []
    controls = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _BLAS_THREAD_FUNCTIONS:
            if hasattr(lib, get_name) and hasattr(lib, set_name):
                controls.append((getattr(lib, get_name), getattr(lib, set_name)))
                break
    return controls


@contextmanager
def one_blas_thread():
    """Run the block with numpy's OpenBLAS on one thread, then restore the previous count."""
    global _blas_users
    with _blas_lock:
        if _blas_users == 0:
            for get, set_ in _openblas_controls():
                previous = int(get())
                if previous > 1:
                    set_(1)
                    _blas_saved.append((set_, previous))
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                while _blas_saved:
                    set_, previous = _blas_saved.pop()
                    set_(previous)
