#!/usr/bin/python3
"""Peer of TrainSteps (bench/train-vs-pytorch.sh): the same workloads in PyTorch on the CPU.

Run with Debian's /usr/bin/python3 and python3-torch (PyTorch 1.13, which calls OpenBLAS for its
GEMMs and oneDNN for its convolutions). OpenBLAS reads OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE when it loads, so the caller sets them in this process's environment.

    /usr/bin/python3 bench/train_pytorch.py --threads 2 --warmup 2 --measure 1 \
        --workloads mlp:784-500-300-10:b128,conv-fwd:n64c1h28f32k5p0

Workload names are parsed the same way by dev.expanse.bench.TrainSteps (see there for the list):
  mlp:IN-H1-H2-OUT:bB           one Adam step of an MLP with ReLU, batch B
  frozen-mlp:IN-H1-H2-OUT:oldA-B-C:bB
                                the same net grown from IN-A-B-C with the old rows frozen; here
                                the gradients of the frozen rows are zeroed after backward, which
                                is how a PyTorch user freezes part of a weight matrix
  lenet:F1-F2:bB                conv5x5 1->F1, ReLU, pool 2, conv5x5 F1->F2, ReLU, pool 2, dense -> 10
  gemm:nN                       one N x N x N float32 matrix product (torch.mm into a preallocated output)
  conv-fwd:nNcChHfFkKpP         forward of one conv layer with bias (no autograd)
  conv-fwdbwd:nNcChHfFkKpP      forward, then backward to dx, dW and db
  conv-bwd-data:nNcChHfFkKpP    the backward to dx alone (torch.nn.grad.conv2d_input)
  conv-bwd-weights:nNcChHfFkKpP the backward to dW and db alone (torch.nn.grad.conv2d_weight, dy summed)
Every step uses random inputs, cross-entropy loss for the nets, Adam (lr 1e-3).

Output: a '# config' line (torch version, BLAS core type, oneDNN, threads), then one CSV line per
workload: 'pytorch,<threads>,<workload>,<median ms>,<min ms>,<steps timed>,-'. Every workload is
built, then each runs untimed for --warmup seconds, then each in turn (after 0.3 s more) has every
step of a --measure-second window timed on its own (perf_counter); the median is reported.
"""
import argparse
import os
import re
import statistics
import sys
import time


def blas_core():
    """'OpenBLAS <version> <core type>' of the OpenBLAS that torch loaded (threadpoolctl, else openblas_get_corename)."""
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return f"OpenBLAS {pool.get('version')} core {pool.get('architecture')}"
    except ImportError:
        pass
    import ctypes
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "libopenblas" in line or "libblas.so" in line})
    for path in libs:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return "OpenBLAS core " + lib.openblas_get_corename().decode()
    return "no OpenBLAS loaded (" + ", ".join(libs) + ")"


def mlp(torch, sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def frozen_masks(torch, net, old):
    """Gradient masks: 0 on the rows each layer had before growing from the sizes `old` (over all columns), 1 elsewhere."""
    masks = []
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for i, layer in enumerate(linears):
        old_rows = old[i + 1]
        for p in (layer.weight, layer.bias):
            mask = torch.ones_like(p)
            mask[:old_rows] = 0
            masks.append((p, mask))
    return masks


def lenet(torch, f1, f2):
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, f1, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(f1, f2, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(f2 * 4 * 4, 10))


def train_step(torch, net, x, y, masks=()):
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        for p, mask in masks:
            p.grad.mul_(mask)
        opt.step()
        return loss.item()
    return step


def workload(torch, name):
    """A no-argument function doing one step of the named workload."""
    kind, _, spec = name.partition(":")
    g = torch.Generator().manual_seed(1)
    if kind in ("mlp", "frozen-mlp"):
        fields = spec.split(":")
        sizes = [int(d) for d in fields[0].split("-")]
        b = int(fields[-1][1:])
        net = mlp(torch, sizes)
        x = torch.rand(b, sizes[0], generator=g)
        y = torch.randint(0, sizes[-1], (b,), generator=g)
        old = [sizes[0]] + [int(d) for d in fields[1][3:].split("-")] if kind == "frozen-mlp" else None
        return train_step(torch, net, x, y, frozen_masks(torch, net, old) if old else ())
    if kind == "lenet":
        filters, batch = spec.split(":")
        f1, f2 = (int(f) for f in filters.split("-"))
        b = int(batch[1:])
        x = torch.rand(b, 1, 28, 28, generator=g)
        y = torch.randint(0, 10, (b,), generator=g)
        return train_step(torch, lenet(torch, f1, f2), x, y)
    if kind == "gemm":
        n = int(spec[1:])
        a, b = torch.rand(n, n, generator=g), torch.rand(n, n, generator=g)
        out = torch.empty(n, n)

        def mm():
            return torch.mm(a, b, out=out)
        return mm
    if kind in ("conv-fwd", "conv-fwdbwd", "conv-bwd-data", "conv-bwd-weights"):
        n, c, h, f, k, p = (int(v) for v in re.fullmatch(r"n(\d+)c(\d+)h(\d+)f(\d+)k(\d+)p(\d+)", spec).groups())
        oh = h + 2 * p - k + 1
        x = torch.rand(n, c, h, h, generator=g)
        if kind == "conv-bwd-data" or kind == "conv-bwd-weights":
            w = torch.rand(f, c, k, k, generator=g)
            dy = torch.rand(n, f, oh, oh, generator=g)
            if kind == "conv-bwd-data":
                def bwd_data():
                    return torch.nn.grad.conv2d_input(x.shape, w, dy, padding=p)
                return bwd_data

            def bwd_weights():
                return torch.nn.grad.conv2d_weight(x, w.shape, dy, padding=p), dy.sum((0, 2, 3))
            return bwd_weights
        conv = torch.nn.Conv2d(c, f, k, padding=p)
        if kind == "conv-fwd":
            def fwd():
                with torch.no_grad():
                    return conv(x)
            return fwd
        x.requires_grad_(True)
        dy = torch.rand(n, f, oh, oh, generator=g)

        def fwdbwd():
            x.grad = None
            conv.zero_grad(set_to_none=True)
            conv(x).backward(dy)
        return fwdbwd
    raise SystemExit(f"unknown workload {name}")


def warm(step, seconds):
    """Runs step for `seconds` (at least once), untimed."""
    end = time.perf_counter() + seconds
    step()
    while time.perf_counter() < end:
        step()


def timed(step, measure):
    """(median ms, min ms, steps) of single steps timed over `measure` seconds (at least 5 steps)."""
    times = []
    end = time.perf_counter() + measure
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), min(times), len(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--workloads", required=True)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--measure", type=float, default=1.0)
    args = ap.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # before torch loads OpenBLAS
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    workload(torch, "mlp:8-8-8-2:b4")()  # loads OpenBLAS before asking which core it runs
    print(f"# config torch {torch.__version__}, {blas_core()}, coretype env {os.environ.get('OPENBLAS_CORETYPE', 'unset')}, "
          f"L2 {os.environ.get('OPENBLAS_L2_SIZE', 'unset')}, oneDNN {torch.backends.mkldnn.is_available()}, "
          f"threads {torch.get_num_threads()}", flush=True)
    names = args.workloads.split(",")
    steps = [workload(torch, name) for name in names]
    for step in steps:  # as TrainSteps does: everything warms up first
        warm(step, args.warmup)
    for name, step in zip(names, steps):
        warm(step, min(0.3, args.warmup))
        med, low, count = timed(step, args.measure)
        print(f"pytorch,{args.threads},{name},{med:.4f},{low:.4f},{count},-", flush=True)


if __name__ == "__main__":
    sys.exit(main())
