#!/usr/bin/env python3
"""Expanse checkpoints and PyTorch, both ways (Debian's python3-torch and python3-numpy).

  torch_interop.py check MODEL.safetensors FIXTURE_DIR
      Builds the torch.nn.Sequential that the checkpoint's metadata describes, loads its tensors with
      load_state_dict(strict=True), runs the fixture's test images and compares the logits with those
      that Expanse wrote beside the model (MODEL.logits.f32, float32 [N, outputs]). Prints the largest
      absolute difference; exit status 1 if it is above 1e-4.

  torch_interop.py export ARCH OUT.safetensors FIXTURE_DIR
      Trains a small PyTorch model (ARCH: mlp = 784-64-5, lenet = conv5x5 1->6, ReLU, pool 2,
      conv5x5 6->12, ReLU, pool 2, flatten, dense 192->5) for two epochs on the fixture's classes 0-4,
      writes it as an Expanse checkpoint (numpy writes the safetensors format), and writes its logits on
      the fixture's test images to OUT.logits.f32 so Expanse can check that it reads the same model.

The safetensors format is simple enough to read and write here with numpy alone: an 8-byte
little-endian header length, a JSON header, the raw little-endian data.
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky-relu": lambda: nn.LeakyReLU(0.01),
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": lambda: nn.GELU(approximate="tanh"),
}


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = blob[8 + n:]
    tensors = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", name
        b, e = t["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(t["shape"]).copy()
    return tensors, meta


def write_safetensors(path, tensors, meta):
    header, offset, chunks = {}, 0, []
    for name, a in tensors.items():
        raw = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    header["__metadata__"] = meta
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


def torch_layer(spec):
    kind = spec["kind"]
    if kind == "dense":
        return nn.Linear(spec["in"], spec["out"])
    if kind == "conv2d":
        return nn.Conv2d(spec["in"], spec["filters"], (spec["kh"], spec["kw"]), stride=spec["stride"], padding=spec["pad"])
    if kind == "maxpool2d":
        return nn.MaxPool2d(spec["k"], spec["stride"])
    if kind == "flatten":
        return nn.Flatten()
    if kind == "activation":
        return ACTIVATIONS[spec["function"]]()
    raise ValueError("unknown layer kind " + kind)


def to_torch(path):
    """The checkpoint as a torch.nn.Sequential (trunk then head 0), and its input shape."""
    tensors, meta = read_safetensors(path)
    assert meta["format"] == "expanse-checkpoint" and meta["format_version"] == "2", meta.get("format")
    doc = json.loads(meta["expanse"])
    specs = doc["trunk"] + (doc["heads"][0] if doc["heads"] else [])
    model = nn.Sequential(*[torch_layer(s) for s in specs])
    state = {}
    for i, s in enumerate(specs):
        for p in ("weight", "bias"):
            if s["name"] + "." + p in tensors:
                state[f"{i}.{p}"] = torch.from_numpy(tensors[s["name"] + "." + p])
    model.load_state_dict(state, strict=True)
    return model.eval(), doc["input"]


def fixture_images(fixture_dir, part):
    with gzip.open(f"{fixture_dir}/{part}-images-idx3-ubyte.gz") as f:
        b = f.read()
    n, h, w = struct.unpack(">III", b[4:16])
    x = np.frombuffer(b[16:], dtype=np.uint8).reshape(n, 1, h, w).astype(np.float32) / 255
    with gzip.open(f"{fixture_dir}/{part}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read()[8:], dtype=np.uint8).astype(np.int64)
    return x, y


def check(model_path, fixture_dir):
    model, shape = to_torch(model_path)
    x, _ = fixture_images(fixture_dir, "t10k")
    with torch.no_grad():
        ours = model(torch.from_numpy(x.reshape([len(x)] + shape))).numpy()
    theirs = np.fromfile(model_path.replace(".safetensors", ".logits.f32"), dtype="<f4").reshape(ours.shape)
    diff = float(np.abs(ours - theirs).max())
    print(f"max |torch - expanse| over {ours.size} logits: {diff:.3g}")
    return 0 if diff <= 1e-4 else 1


def torch_model(arch):
    torch.manual_seed(1)
    if arch == "mlp":
        return nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 5)), [784], ["dense1", "relu1", "head"]
    return (nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 12, 5), nn.ReLU(),
                          nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(192, 5)),
            [1, 28, 28], ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "head"])


def spec_of(layer, name):
    if isinstance(layer, nn.Linear):
        return {"kind": "dense", "name": name, "in": layer.in_features, "out": layer.out_features}
    if isinstance(layer, nn.Conv2d):
        return {"kind": "conv2d", "name": name, "in": layer.in_channels, "filters": layer.out_channels,
                "kh": layer.kernel_size[0], "kw": layer.kernel_size[1], "stride": layer.stride[0], "pad": layer.padding[0]}
    if isinstance(layer, nn.MaxPool2d):
        return {"kind": "maxpool2d", "name": name, "k": layer.kernel_size, "stride": layer.stride}
    if isinstance(layer, nn.Flatten):
        return {"kind": "flatten", "name": name}
    if isinstance(layer, nn.ReLU):
        return {"kind": "activation", "name": name, "function": "relu"}
    raise ValueError(type(layer))


def export(arch, out, fixture_dir):
    model, shape, names = torch_model(arch)
    x, y = fixture_images(fixture_dir, "train")
    keep = y < 5
    x, y = torch.from_numpy(x[keep].reshape([-1] + shape)), torch.from_numpy(y[keep])
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for _ in range(2):
        for i in range(0, len(x), 32):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[i:i + 32]), y[i:i + 32]).backward()
            opt.step()
    model.eval()
    tensors, params = {}, {}
    for layer, name in zip(model, names):
        for p in ("weight", "bias"):
            if hasattr(layer, p) and getattr(layer, p) is not None:
                tensors[f"{name}.{p}"] = getattr(layer, p).detach().numpy()
                params[f"{name}.{p}"] = {"frozen": "0x0", "old": [0, 0]}
    doc = {"input": shape, "trunk": [spec_of(layer, n) for layer, n in zip(model, names)], "heads": [],
           "parameters": params,
           "classes": [{"head": 0, "output": c, "dataset": "mnist", "label": c, "experience": "mnist 0-4"} for c in range(5)],
           "history": [], "provenance": {"tool": "PyTorch " + torch.__version__, "dataset": "mnist (fixtures)"}}
    write_safetensors(out, tensors, {"format": "expanse-checkpoint", "format_version": "2", "expanse": json.dumps(doc)})
    tx, _ = fixture_images(fixture_dir, "t10k")
    with torch.no_grad():
        model(torch.from_numpy(tx.reshape([-1] + shape))).numpy().astype("<f4").tofile(out.replace(".safetensors", ".logits.f32"))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    torch.set_num_threads(1)
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 5 and sys.argv[1] == "export":
        sys.exit(export(sys.argv[2], sys.argv[3], sys.argv[4]))
    sys.exit(__doc__)
