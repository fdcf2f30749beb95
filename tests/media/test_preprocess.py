"""Pre-processors (--pre) on real signals through real ffmpeg: what each does to the audio,
their order, errors, the plan shown by probe, pass-through, kept channels, video, memory."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from conftest import decode
from symbl_media.media import pipeline
from symbl_media.media import preprocess
from symbl_media.media.extract import extraction_args
from symbl_media.media.plan import PrepareOptions
from symbl_media.media.silence import sound_span
from symbl_media.plugins import manager
from symbl_media.submission.request import prepare_json as _prepare_json

RATE = 16000
# Speech-like: three harmonics of 180 Hz, amplitude-modulated at 4 Hz (syllables) but never
# under 20 % of the peak, so every 20 ms frame of "speech" is well above -50 dBFS.
VOICE = "(sin(2*PI*180*t)+0.5*sin(2*PI*360*t)+0.3*sin(2*PI*540*t))*(0.6+0.4*sin(2*PI*4*t))"


def lavfi(path: Path, source: str, *, seconds: float | None = None) -> Path:
    """A mono 16 kHz 16-bit WAV made by ffmpeg from a lavfi source graph."""
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", source,
                    *(["-t", str(seconds)] if seconds else []), "-ac", "1", "-ar", str(RATE),
                    "-c:a", "pcm_s16le", str(path)], check=True)
    return path


def voice(amplitude: float, seconds: float, when: str = "1") -> str:
    """aevalsrc of VOICE at ``amplitude``, sounding where the expression ``when`` is 1."""
    expr = f"{amplitude}*{VOICE}*({when})".replace(",", "\\,")
    return f"aevalsrc='{expr}':s={RATE}:d={seconds}"


@pytest.fixture(scope="module")
def signals(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("signals")
    return {
        # Quiet speech with short pauses: about -40 LUFS.
        "quiet": lavfi(d / "quiet.wav", voice(0.012, 12, "lt(mod(t,2),1.6)")),
        # 50 Hz mains hum (loud) under a 1 kHz tone.
        "hum": lavfi(d / "hum.wav", f"aevalsrc='0.3*sin(2*PI*50*t)+0.1*sin(2*PI*1000*t)'"
                                    f":s={RATE}:d=4"),
        # Speech for 1 s in every 2, over a steady white-noise floor near -45 dBFS.
        "noisy": lavfi(d / "noisy.wav",
                       f"{voice(0.2, 10, 'lt(mod(t,2),1)')}[v];"
                       f"anoisesrc=c=white:a=0.01:r={RATE}:d=10:seed=7[n];"
                       f"[v][n]amix=inputs=2:normalize=0"),
        # 2 s of silence, speech to 6 s, a 1.5 s pause, speech to 12 s, 3 s of silence.
        "edges": lavfi(d / "edges.wav",
                       voice(0.2, 15, "between(t,2,12)*(1-between(t,6,7.5))")),
    }


def run_prepare(src: Path, out: Path, *pre: str, **options):
    return pipeline.prepare(src, out, PrepareOptions(preprocess=pre, **options),
                            preprocessors=manager.preprocessors())


def piece_audio(result) -> np.ndarray:
    (piece,) = result.pieces
    return decode(result.folder / piece.file)


def integrated_lufs(path: Path) -> float:
    """EBU R128 integrated loudness as ffmpeg's ebur128 filter measures it."""
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-i", f"file:{path}",
                          "-map", "0:a:0", "-af", "ebur128", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = err[err.rindex("Integrated loudness:"):]
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))


def band_db(x: np.ndarray, freq: float, rate: int = RATE) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    bins = np.fft.rfftfreq(len(x), 1 / rate)
    return float(20 * np.log10(spectrum[np.abs(bins - freq) < 3].max()))


def level_db(x: np.ndarray, start: float, end: float) -> float:
    part = x[int(start * RATE):int(end * RATE)].astype("float64")
    return float(10 * np.log10((part ** 2).mean() + 1e-20))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- what each does

def test_loudnorm_brings_a_quiet_recording_to_minus_23_lufs(signals, tmp_path):
    before = integrated_lufs(signals["quiet"])
    result = run_prepare(signals["quiet"], tmp_path, "loudnorm")
    after = integrated_lufs(tmp_path / result.pieces[0].file)
    assert before < -35
    assert abs(after - (-23)) <= 1.5, (before, after)


def test_highpass_cuts_mains_hum_and_keeps_speech_frequencies(signals, tmp_path):
    x = decode(signals["hum"])[RATE:, 0]  # past the filter's settling
    y = piece_audio(run_prepare(signals["hum"], tmp_path, "highpass"))[RATE:, 0]
    assert band_db(x, 50) - band_db(y, 50) >= 20
    assert abs(band_db(x, 1000) - band_db(y, 1000)) <= 0.5


def test_denoise_lowers_a_steady_noise_floor_in_the_pauses(signals, tmp_path):
    x = decode(signals["noisy"])[:, 0]
    y = piece_audio(run_prepare(signals["noisy"], tmp_path, "denoise"))[:, 0]
    pauses = [(k + 1.2, k + 1.8) for k in range(2, 10, 2)]  # the noise alone
    speech = [(k + 0.2, k + 0.8) for k in range(2, 10, 2)]
    floor_before = np.mean([level_db(x, a, b) for a, b in pauses])
    floor_after = np.mean([level_db(y, a, b) for a, b in pauses])
    assert -50 < floor_before < -40
    assert floor_before - floor_after >= 6, (floor_before, floor_after)
    speech_change = np.mean([level_db(y, a, b) - level_db(x, a, b) for a, b in speech])
    assert abs(speech_change) <= 1.0


def test_trim_removes_leading_and_trailing_silence_and_keeps_the_middle(signals, tmp_path):
    x = decode(signals["edges"])[:, 0]
    result = run_prepare(signals["edges"], tmp_path, "trim")
    y = piece_audio(result)[:, 0]
    (step,) = result.plan.preprocess
    start, end = step.span
    assert abs(start - 2.0) <= 0.2  # what was cut at the start
    assert abs((len(x) / RATE - end) - 3.0) <= 0.2  # ... and at the end
    assert abs(len(y) / RATE - (end - start)) <= 0.01
    # The middle, pause included, is the source's own samples, untouched.
    first = round(start * RATE)
    assert np.array_equal(y, x[first:first + len(y)])
    assert level_db(y, 6.2 - start, 7.3 - start) < -80  # the 1.5 s pause is still there
    assert abs(result.duration - (end - start)) <= 0.01


def test_trim_finds_the_edges_of_a_long_recording_by_reading_only_near_them(tmp_path):
    # 4 minutes: sound from 20 s to 170 s, then 70 s of silence. Beyond 3 minutes the end is
    # looked for backwards in growing windows (30 s, then 120 s) instead of reading it all.
    path = tmp_path / "long.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    f"sine=f=300:sample_rate={RATE}:duration=150", "-af",
                    "volume=0.3,adelay=20000,apad=pad_dur=70", "-c:a", "pcm_s16le", str(path)],
                   check=True)
    source = preprocess.AudioSource(path, 0, 1, None, 240.0)
    start, end = sound_span(source, -50)
    assert abs(start - 20) <= 0.05 and abs(end - 170) <= 0.05


def test_trim_leaves_an_all_silent_recording_whole(tmp_path):
    path = lavfi(tmp_path / "silent.wav", f"anullsrc=r={RATE}:cl=mono", seconds=5)
    result = run_prepare(path, tmp_path / "out", "trim")
    (step,) = result.plan.preprocess
    assert step.filter == "" and dict(step.measured) == {"sound": "none"}
    assert abs(result.duration - 5.0) <= 0.01


# ----------------------------------------------------------------------------- the chain

def test_the_chain_runs_in_the_order_given_between_the_mix_and_the_encoder(samples):
    stereo = samples / "meeting-stereo.wav"
    ab = pipeline.inspect(stereo, PrepareOptions(preprocess=("highpass:f=100", "loudnorm")),
                          preprocessors=manager.preprocessors())
    ba = pipeline.inspect(stereo, PrepareOptions(preprocess=("loudnorm", "highpass:f=100")),
                          preprocessors=manager.preprocessors())
    assert [s.name for s in ab.preprocess] == ["highpass", "loudnorm"]
    assert [s.name for s in ba.preprocess] == ["loudnorm", "highpass"]
    assert ab.preprocess_filter.index("highpass=") < ab.preprocess_filter.index("loudnorm=")
    assert ba.preprocess_filter.index("loudnorm=") < ba.preprocess_filter.index("highpass=")
    args = extraction_args(ab, Path("out.wav"))
    af = args[args.index("-af") + 1]
    assert ab.channels.pan and af == f"pan={ab.channels.pan},{ab.preprocess_filter}"
    assert args.index("-af") < args.index("-ac") < args.index("-ar")


def test_a_pass_through_wav_is_re_encoded_when_pre_processors_are_asked_for(signals,
                                                                           tmp_path):
    plain = pipeline.inspect(signals["quiet"])
    assert plain.target.passthrough
    result = run_prepare(signals["quiet"], tmp_path, "highpass")
    assert not result.plan.target.passthrough
    assert "--pre" in result.plan.target.reason
    assert sha256(tmp_path / result.pieces[0].file) != sha256(signals["quiet"])


def test_separate_channels_are_processed_one_by_one(tmp_path):
    # Left quiet (-40 LUFS or so), right loud: each channel comes out at -23 on its own.
    src = tmp_path / "two.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    voice(0.01, 10, "lt(mod(t,2),1.5)"), "-f", "lavfi", "-i",
                    voice(0.5, 10, "gte(mod(t,2),0.5)"), "-filter_complex",
                    "[0][1]join=inputs=2:channel_layout=stereo", "-c:a", "pcm_s16le", str(src)],
                   check=True)
    result = run_prepare(src, tmp_path / "out", "loudnorm", separate_channels=True)
    assert result.plan.channels.mix == "keep"
    assert "join=inputs=2" in result.plan.preprocess_filter
    piece = tmp_path / "out" / result.pieces[0].file
    for c in (0, 1):
        mono = tmp_path / f"c{c}.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(piece), "-af",
                        f"pan=mono|c0=c{c}", str(mono)], check=True)
        assert abs(integrated_lufs(mono) - (-23)) <= 1.5


def test_as_video_filters_the_audio_and_copies_the_video(samples, tmp_path):
    result = run_prepare(samples / "meeting.mp4", tmp_path, "highpass", as_video=True)
    assert not result.plan.target.passthrough  # an H.264/AAC MP4 would otherwise go as is
    streams = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json",
         str(tmp_path / result.pieces[0].file)], capture_output=True, check=True).stdout)
    kinds = {s["codec_type"]: s for s in streams["streams"]}
    assert kinds["video"]["codec_name"] == "h264" and kinds["audio"]["channels"] == 1


def test_options_survive_the_submission_record():
    options = PrepareOptions(preprocess=("trim:pad=0.2", ("loudnorm", {"i": -16})))
    assert options.preprocess == (("trim", (("pad", "0.2"),)), ("loudnorm", (("i", "-16"),)))
    hash(options)
    again = PrepareOptions(**json.loads(json.dumps(_prepare_json(options))))
    assert again == options
    assert "preprocess" not in _prepare_json(PrepareOptions())  # older submission keys hold


# ----------------------------------------------------------------------------- the command line

@pytest.mark.parametrize("args, message", [
    (["--pre", "reverb"], "--pre reverb: unknown pre-processor (known: denoise, highpass, "
                          "loudnorm, trim)"),
    (["--pre", "loudnorm:i=loud"], "--pre loudnorm: option i must be a number, not 'loud'"),
    (["--pre", "highpass:f=5"], "--pre highpass: option f must be between 10 and 1000 Hz"),
    (["--pre", "denoise:strength=3"], "--pre denoise: unknown option 'strength'"),
    (["--pre", "trim", "--as-video"], "--pre trim changes the length of the audio"),
], ids=["unknown", "not-a-number", "out-of-range", "unknown-option", "trim-with-video"])
def test_a_bad_pre_processor_fails_with_exit_2_and_one_line(args, message, signals, tmp_path,
                                                           cli):
    out = tmp_path / "out"
    run = cli("prepare", signals["quiet"], "--out", out, *args)
    assert run.code == 2, run
    assert run.out == "" and len(run.err.splitlines()) == 1, run
    assert run.err.startswith(f"symbl-media: error: {message}"), run.err
    assert not out.exists()  # refused before any work


def test_submit_refuses_an_unknown_pre_processor_before_connecting(signals, cli, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("y\n")
    run = cli("submit", signals["quiet"], "--pre", "reverb", "--api-url", "http://127.0.0.1:9",
              "--app-id", "x", "--app-secret-file", secret)
    assert run.code == 2 and len(run.err.splitlines()) == 1, run
    assert "unknown pre-processor" in run.err


def test_probe_shows_the_pre_processors_in_text_and_json(signals, cli):
    run = cli("probe", signals["edges"], "--pre", "loudnorm", "--pre", "highpass:f=100",
              "--pre", "trim")
    assert run.code == 0, run.err
    assert ("  pre        loudnorm (i=-23, tp=-2, lra=11), highpass (f=100, order=6), "
            "trim (threshold=-50, pad=0.1; measured start=1.900, end=12.100)") in run.out
    assert "             filter: loudnorm=I=-23:TP=-2:LRA=11" in run.out
    assert "trim: keeps 1.90 s to 12.10 s of 15.00 s" in run.out
    run = cli("probe", signals["edges"], "--json", "--pre", "loudnorm", "--pre", "trim")
    pre = json.loads(run.out)["plan"]["preprocess"]
    assert [s["name"] for s in pre["steps"]] == ["loudnorm", "trim"]
    assert pre["steps"][0]["options"] == {"i": "-23", "tp": "-2", "lra": "11"}
    assert pre["steps"][1]["measured"] == {"start": "1.900", "end": "12.100"}
    assert pre["filter"].startswith("loudnorm=I=-23:TP=-2:LRA=11,")
    assert "atrim=start=1.900:end=12.100" in pre["filter"]


def test_the_manifest_records_the_pre_processors(signals, tmp_path, cli):
    run = cli("prepare", signals["quiet"], "--out", tmp_path, "--pre", "denoise:nr=20",
              "--json")
    assert run.code == 0, run.err
    decisions = json.loads((tmp_path / "manifest.json").read_text())["decisions"]
    assert decisions["target"]["passthrough"] is False
    assert decisions["preprocess"]["steps"][0]["options"] == {"nr": "20", "nf": "-45"}
    assert decisions["preprocess"]["filter"] == "afftdn=nr=20:nf=-45"


# ----------------------------------------------------------------------------- memory

def test_memory_stays_flat_on_a_long_recording(tmp_path):
    """20 minutes through highpass and trim: ffmpeg's peak RSS stays far below what holding
    the recording would take (areverse, the usual way to trim the end, reaches ~200 MB)."""
    src = tmp_path / "twenty.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    f"sine=f=300:sample_rate={RATE}:duration=1195", "-af",
                    "volume=0.3,adelay=2000,apad=pad_dur=3", "-c:a", "pcm_s16le", str(src)],
                   check=True)
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def watch() -> None:
        me = psutil.Process()
        while not stop.is_set():
            for child in me.children(recursive=True):
                try:
                    if child.name() == "ffmpeg":
                        peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
                except psutil.Error:
                    pass
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = run_prepare(src, tmp_path / "out", "highpass", "trim")
    finally:
        stop.set()
        watcher.join()
    assert peaks, "no ffmpeg process was seen"
    assert max(peaks.values()) < 100 * 2 ** 20, {p: v / 2 ** 20 for p, v in peaks.items()}
    start, end = result.plan.preprocess[1].span
    assert abs(start - 2.0) <= 0.2 and abs(1200 - end - 3.0) <= 0.2
    assert abs(result.duration - (end - start)) <= 0.05
