"""An ONNX speaker model from a folder (WeSpeaker's interface), in the voice encoder's place.

No WeSpeaker model ships in a package registry, so the models here are built with onnx's own
helper API: one with WeSpeaker's input and output (filterbank features in, one vector per
window out: the per-band spread of the filterbanks, projected, a crude but real voice
feature), and several that are wrong in the ways a user's folder can be.
"""

from __future__ import annotations

import subprocess
import sys

from pathlib import Path

import numpy as np
import pytest

from symbl_media.errors import EngineError
from symbl_media.media.voices import SpanEmbedder, SpeakerModelError, check_speaker_model
from symbl_media.server.engines.diarize import Diarizer
from symbl_media.server.engines.settings import EngineSettings
from symbl_media.testing import running_sandbox

from .test_diarize import TWO_WAY, VOICES, converse, espeak_voices, segments_of  # noqa: F401

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("kaldi_native_fbank")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402


def build(path: Path, *, input_shape=("B", "T", 80), dim: int = 64, out_rank: int = 2,
          metadata: dict[str, str] | None = None) -> Path:
    """A model: feats -> sqrt(mean over time of feats^2) -> @ W -> embs (B, dim)."""
    bins = input_shape[-1] if isinstance(input_shape[-1], int) else 80
    weights = np.random.default_rng(7).normal(size=(bins, dim))
    # Columns summing to zero over the bands: the vector follows the shape of the spectrum's
    # spread, not its overall size, so two voices point in different directions.
    weights = (weights - weights.mean(axis=0, keepdims=True)).astype(np.float32)
    nodes = [helper.make_node("Mul", ["feats", "feats"], ["squares"]),
             helper.make_node("ReduceMean", ["squares", "axes"], ["power"], keepdims=0),
             helper.make_node("Sqrt", ["power"], ["spread"]),
             helper.make_node("MatMul", ["spread", "W"], ["embs"])]
    out_shape = ["B", dim]
    if out_rank == 3:
        nodes[-1] = helper.make_node("MatMul", ["spread", "W"], ["flat"])
        nodes.append(helper.make_node("Unsqueeze", ["flat", "axes"], ["embs"]))
        out_shape = ["B", 1, dim]
    graph = helper.make_graph(
        nodes, "spread", [helper.make_tensor_value_info("feats", TensorProto.FLOAT,
                                                        list(input_shape))],
        [helper.make_tensor_value_info("embs", TensorProto.FLOAT, out_shape)],
        [numpy_helper.from_array(weights, "W"),
         numpy_helper.from_array(np.array([1], np.int64), "axes")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    if metadata:
        helper.set_model_props(model, metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("wespeaker-like") / "model.onnx").parent


def test_a_model_with_wespeakers_interface_is_loaded_and_measured(model_dir):
    model = check_speaker_model(model_dir)
    assert model.embedding_size == 64 and model.bins == 80
    windows = np.random.default_rng(1).normal(0, 0.1, (3, 24000)).astype(np.float32)
    out = model.embed(windows)
    assert out.shape == (3, 64)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(out, model.embed(windows))  # the same audio, the same vectors


@pytest.mark.usefixtures("espeak_voices")
def test_the_diarizer_uses_the_model_in_place_of_the_voice_encoder(model_dir, tmp_path):
    wav, times = converse(tmp_path, (VOICES[2], VOICES[1]), TWO_WAY)
    diarizer = Diarizer(speaker_model=model_dir)
    assert "ONNX speaker model" in diarizer.name
    embeddings, _ = diarizer.embed_segments(wav, segments_of(times))
    assert embeddings.shape[1] == 64  # the model's vectors, not the encoder's 256
    labels = [s.speaker for s in diarizer.assign(wav, segments_of(times), 2)]
    truth = [speaker for _, _, speaker in times]
    # The toy model is a weak voice feature: 7 turns of 10 (the bundled encoder gets all 10;
    # a label per turn at random gets 5-6 after the best mapping).
    right = max(sum(a == b for a, b in zip(labels, truth)),
                sum(a != b for a, b in zip(labels, truth)))
    assert right >= 7, (labels, truth)


@pytest.mark.usefixtures("espeak_voices")
def test_the_client_side_embedder_takes_the_same_model(model_dir, tmp_path):
    wav, times = converse(tmp_path, (VOICES[0],), (0, 0))
    embeddings, owners = SpanEmbedder(check_speaker_model(model_dir)).embed(
        wav, [(a, b) for a, b, _ in times])
    assert embeddings.shape[1] == 64 and set(owners.tolist()) == {0, 1}


@pytest.mark.usefixtures("espeak_voices")
def test_a_sandbox_diarizes_with_the_model_over_http(model_dir, tmp_path):
    wav, _ = converse(tmp_path, (VOICES[2], VOICES[1]), TWO_WAY[:4])
    # Through the engine settings, as --speaker-model DIR / SYMBL_MEDIA_SPEAKER_MODEL_DIR give it.
    settings = EngineSettings(speaker_model=model_dir)
    with running_sandbox(tmp_path / "data", engines=settings) as box:
        client = box.client()
        ids = client.post("/v1/process/audio", data=wav.read_bytes(),
                          params={"enableSpeakerDiarization": "true",
                                  "diarizationSpeakerCount": "2"}).json()
        assert client.wait(ids["jobId"]) == "completed"
        messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages",
                              params={"verbose": "true"}).json()["messages"]
    assert {m["from"]["name"] for m in messages} == {"Speaker 1", "Speaker 2"}
    assert all(w["speakerTag"] in (1, 2) for m in messages for w in m["words"])


def refused(path: Path) -> str:
    with pytest.raises(SpeakerModelError) as caught:
        Diarizer(speaker_model=path)
    assert isinstance(caught.value, EngineError)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_serve_refuses_a_speaker_model_folder_that_holds_none(tmp_path):
    (tmp_path / "empty").mkdir()
    done = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port", "0",
                           "--data", str(tmp_path / "d"), "--speaker-model",
                           str(tmp_path / "empty")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 10, done.stderr
    assert done.stderr.count("\n") == 1 and str(tmp_path / "empty") in done.stderr


def test_a_missing_folder_is_refused_by_name(tmp_path):
    assert "no such file or folder" in refused(tmp_path / "nowhere")


def test_a_folder_without_a_model_is_refused(tmp_path):
    (tmp_path / "config.yaml").write_text("model: resnet34\n")
    assert "no .onnx file" in refused(tmp_path)


def test_a_folder_with_two_unnamed_models_is_refused(tmp_path):
    build(tmp_path / "a.onnx")
    build(tmp_path / "b.onnx")
    assert "2 .onnx files" in refused(tmp_path)


def test_a_file_that_is_not_onnx_is_refused(tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"not a model at all" * 100)
    assert "onnxruntime cannot load it" in refused(tmp_path)


def test_a_model_that_does_not_take_filterbanks_is_refused(tmp_path):
    build(tmp_path / "model.onnx", input_shape=("B", "T", "F"))
    assert "expected one input of (batch, frames, mel bins)" in refused(tmp_path)


def test_a_model_whose_output_is_not_one_vector_per_window_is_refused(tmp_path):
    build(tmp_path / "model.onnx", out_rank=3)
    assert "not a speaker-embedding model" in refused(tmp_path)


def test_a_model_with_too_few_outputs_to_be_a_voice_is_refused(tmp_path):
    build(tmp_path / "model.onnx", dim=2)
    assert "dimension >= 16" in refused(tmp_path / "model.onnx")


def test_a_model_names_its_analysis_window_in_its_metadata(model_dir, tmp_path):
    # 3D-Speaker's models were trained on Kaldi's Povey window, WeSpeaker's on Hamming
    povey = check_speaker_model(build(tmp_path / "model.onnx", metadata={"window_type": "povey"}))
    hamming = check_speaker_model(model_dir)
    assert (povey.window, hamming.window) == ("povey", "hamming")
    window = np.random.default_rng(2).normal(0, 0.1, 24000).astype(np.float32)
    assert not np.allclose(povey.features(window), hamming.features(window))


def test_a_window_kaldi_does_not_know_is_refused(tmp_path):
    build(tmp_path / "model.onnx", metadata={"window_type": "kaiser"})
    assert "window_type 'kaiser'" in refused(tmp_path)


def test_a_model_that_asks_for_samples_in_minus_one_to_one_gets_them(model_dir, tmp_path):
    # 3D-Speaker's models (normalize_samples=1, sherpa-onnx's key) were trained on samples in
    # [-1, 1]. The mean removal does not cancel the scale: Kaldi floors each filterbank energy
    # at float epsilon before the log, and a quiet band sits on that floor in [-1, 1] only.
    import kaldi_native_fbank as knf
    three_d = check_speaker_model(build(tmp_path / "model.onnx",
                                        metadata={"normalize_samples": "1"}))
    wespeaker = check_speaker_model(model_dir)
    assert (three_d.sample_scale, wespeaker.sample_scale) == (1.0, 32768.0)
    # quiet noise (-60 dBFS): its narrow lowest mel bands fall under the floor in [-1, 1]
    window = np.random.default_rng(5).normal(0, 0.001, 24000).astype(np.float32)

    def fbank(scale):
        options = knf.FbankOptions()
        options.frame_opts.samp_freq, options.frame_opts.dither = 16000, 0.0
        options.frame_opts.window_type = "hamming"
        options.mel_opts.num_bins = 80
        fb = knf.OnlineFbank(options)
        fb.accept_waveform(16000, (window * scale).tolist())
        fb.input_finished()
        feats = np.array([fb.get_frame(i) for i in range(fb.num_frames_ready)], np.float32)
        return feats - feats.mean(axis=0, keepdims=True)

    assert np.allclose(three_d.features(window), fbank(1.0), atol=1e-4)
    assert np.allclose(wespeaker.features(window), fbank(32768.0), atol=1e-4)
    assert not np.allclose(three_d.features(window), wespeaker.features(window), atol=0.1)


def test_a_normalize_samples_other_than_0_or_1_is_refused(tmp_path):
    build(tmp_path / "model.onnx", metadata={"normalize_samples": "yes"})
    assert "normalize_samples 'yes'" in refused(tmp_path)


def test_a_model_carries_its_own_speaker_count_thresholds_in_its_metadata(tmp_path):
    # The estimate's thresholds are cosines of the model's vectors, so they travel with it:
    # CAM++'s same-voice cosines sit well below the bundled encoder's.
    path = build(tmp_path / "model.onnx",
                 metadata={"single_speaker_spread": "0.787", "distinct_centres": "0.831"})
    assert check_speaker_model(path).count_thresholds == {"single_speaker_spread": 0.787,
                                                          "distinct_centres": 0.831}
    assert Diarizer(speaker_model=path).count_thresholds == {"single_speaker_spread": 0.787,
                                                             "distinct_centres": 0.831}


def test_a_model_without_them_keeps_the_bundled_thresholds(model_dir, tmp_path):
    assert check_speaker_model(model_dir).count_thresholds == {}
    assert Diarizer(speaker_model=model_dir).count_thresholds == {}
    assert Diarizer().count_thresholds == {}  # the bundled encoder carries none
    one = check_speaker_model(build(tmp_path / "model.onnx",
                                    metadata={"distinct_centres": "0.5"}))
    assert one.count_thresholds == {"distinct_centres": 0.5}  # the other stays the bundled one


@pytest.mark.parametrize("value", ["1.2", "1", "0", "-0.3", "nan", "inf", "high", ""])
@pytest.mark.parametrize("key", ["single_speaker_spread", "distinct_centres"])
def test_a_count_threshold_that_is_not_a_cosine_between_0_and_1_is_refused(tmp_path, key,
                                                                            value):
    build(tmp_path / "model.onnx", metadata={key: value})
    message = refused(tmp_path)
    assert f"{key} {value!r}" in message and str(tmp_path / "model.onnx") in message
    assert "\n" not in message


def test_the_estimate_follows_the_thresholds_it_is_given():
    from symbl_media.server.engines.speaker_clusters import estimate_speakers
    rng = np.random.default_rng(11)
    direction = rng.normal(size=64)
    voice = direction / np.linalg.norm(direction) + rng.normal(0, 0.09, (60, 64))
    voice /= np.linalg.norm(voice, axis=1, keepdims=True)  # one voice, spread about 0.8
    assert estimate_speakers(voice) >= 2  # under the bundled encoder's 0.885
    assert estimate_speakers(voice, single_speaker_spread=0.75) == 1


@pytest.mark.usefixtures("espeak_voices")
def test_the_diarizer_estimates_with_the_models_thresholds(tmp_path, monkeypatch):
    from symbl_media.server.engines import diarize
    seen = []

    def estimate(x, **kwargs):
        seen.append(kwargs)
        return 2
    monkeypatch.setattr(diarize, "estimate_speakers", estimate)
    path = build(tmp_path / "m" / "model.onnx",
                 metadata={"single_speaker_spread": "0.7", "distinct_centres": "0.6"})
    wav, turn_times = converse(tmp_path, VOICES, TWO_WAY)
    Diarizer(speaker_model=path).assign(wav, segments_of(turn_times), None)
    assert seen and seen[0]["single_speaker_spread"] == 0.7 and seen[0]["distinct_centres"] == 0.6
