#!/usr/bin/python3
"""The table of bench/train-vs-pytorch.sh, from its raw files in bench/target/train/.

    bench/train_table.py OUT "jdk17 version" "jdk25 version" ROUNDS WARMUP MEASURE

Each raw file is one process of one round: 'side,threads,workload,median ms,min ms,steps,cpu ms'
lines (TrainSteps, train_pytorch.py) after '# config' lines. A cell is the median over the rounds
of the per-process medians, with the min and max of those medians. Ratios take Expanse on JDK 25
against PyTorch's best cell (the faster core type, and for the targets the faster thread count too).
"""
import collections
import glob
import os
import re
import statistics
import sys

SIDES = [("jdk17", "Expanse JDK 17"), ("jdk25", "Expanse JDK 25"),
         ("pytorch-env", "PyTorch, env core type"), ("pytorch-Cooperlake", "PyTorch, Cooperlake")]
NAMES = {
    "mlp:784-500-300-10:b128": "MLP 784-500-300-10 step, batch 128",
    "frozen-mlp:784-500-300-10:old300-200-5:b128": "frozen expanded MLP (grown from 300-200-5) step",
    "lenet:32-64:b128": "LeNet 32/64 step, batch 128",
    "lenet:16-32:b64": "CLI LeNet 16/32 step, batch 64",
}


def label(workload):
    if workload in NAMES:
        return NAMES[workload]
    m = re.fullmatch(r"conv-(fwd|fwdbwd|bwd-data|bwd-weights):n(\d+)c(\d+)h(\d+)f(\d+)k(\d+)p(\d+)", workload)
    if m:
        kind, n, c, h, f, k, p = m.groups()
        part = {"fwd": "forward", "fwdbwd": "fwd+bwd", "bwd-data": "backward to dx",
                "bwd-weights": "backward to dW and db"}[kind]
        return f"conv {c}->{f} {k}x{k}{' pad ' + p if p != '0' else ''} {h}x{h}, batch {n}, {part}"
    m = re.fullmatch(r"gemm:n(\d+)", workload)
    if m:
        return f"GEMM {m.group(1)} x {m.group(1)} x {m.group(1)}"
    return workload


def read(out):
    """{(side, workload, threads): [per-round medians]}, {side: set of config lines}, [workloads in order]."""
    cells, configs, order = collections.defaultdict(list), collections.defaultdict(set), []
    for path in sorted(glob.glob(os.path.join(out, "r*-*-t*.csv"))):
        side = re.fullmatch(r"r\d+-(.+)-t\d+\.csv", os.path.basename(path)).group(1)
        for line in open(path):
            if line.startswith("#"):
                configs[side].add(re.sub(r"threads \d+", "threads N", line[2:].strip()))
                continue
            _, threads, workload, median, *_ = line.strip().split(",")
            cells[(side, workload, int(threads))].append(float(median))
            if workload not in order:
                order.append(workload)
    return cells, configs, order


def cell(values):
    if not values:
        return "-", None
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.2f}", med
    return f"{med:.2f} ({min(values):.2f}-{max(values):.2f})", med


def main():
    out, jdk17, jdk25, rounds, warmup, measure = sys.argv[1:7]
    cells, configs, order = read(out)
    threads = sorted({t for (_, _, t) in cells})
    lines = [f"Median ms per step (min-max over {rounds} round(s)); each process: warm-up {warmup} s per workload, "
             f"then {measure} s of single timed steps.", ""]
    lines.append("| workload | threads | " + " | ".join(name for _, name in SIDES) + " | JDK 25 / PyTorch best |")
    lines.append("|---|---:|" + "---:|" * (len(SIDES) + 1))
    best = {}
    for w in order:
        for t in threads:
            row, meds = [], {}
            for side, _ in SIDES:
                text, meds[side] = cell(cells.get((side, w, t), []))
                row.append(text)
            peers = [meds[s] for s in ("pytorch-env", "pytorch-Cooperlake") if meds[s] is not None]
            ratio = f"{meds['jdk25'] / min(peers):.2f}x" if peers and meds["jdk25"] else "-"
            best[(w, t)] = meds
            lines.append(f"| {label(w)} | {t} | " + " | ".join(row) + f" | {ratio} |")
    lines += ["", "Targets (JDK 25; PyTorch's best over core types and thread counts):", ""]
    lines += targets(best, order, threads)
    lines += ["", "Load averages (1, 5, 15 min) before each process:", "", "```"]
    lines += [l.rstrip() for l in open(os.path.join(out, "load.txt"))]
    lines += ["```", "", "Configurations:", ""]
    lines += [f"- JDK 17: {jdk17}", f"- JDK 25: {jdk25 or 'not found'}"]
    for side, name in SIDES:
        for c in sorted(configs.get(side, ())):
            lines.append(f"- {name}: {c}")
    print("\n".join(lines))


def targets(best, order, threads):
    def peer(w):
        v = [m[s] for t in threads for m in [best.get((w, t), {})] for s in ("pytorch-env", "pytorch-Cooperlake")
             if m.get(s) is not None]
        return min(v) if v else None

    def ours(w, t):
        return best.get((w, t), {}).get("jdk25")

    out = []

    def check(text, value, limit, at_most=True):
        if value is None:
            out.append(f"- {text}: not measured")
            return
        met = value <= limit if at_most else value >= limit
        out.append(f"- {text}: {value:.2f} ({'met' if met else 'missed'}, target {'<=' if at_most else '>='} {limit})")

    lenet, mlp = "lenet:32-64:b128", "mlp:784-500-300-10:b128"
    def peer_at(w, t):
        m = best.get((w, t), {})
        v = [m[s] for s in ("pytorch-env", "pytorch-Cooperlake") if m.get(s) is not None]
        return min(v) if v else None

    for t in threads:
        if lenet in order and ours(lenet, t) and peer_at(lenet, t):
            check(f"LeNet step, {t} thread(s), / PyTorch best at that count", ours(lenet, t) / peer_at(lenet, t), 0.83)
        if lenet in order and ours(lenet, t) and peer(lenet):
            check(f"LeNet step, {t} thread(s), / PyTorch best at any count", ours(lenet, t) / peer(lenet), 0.83)
    if mlp in order and 2 in threads and ours(mlp, 2) and peer(mlp):
        check("MLP step, 2 threads, / PyTorch best", ours(mlp, 2) / peer(mlp), 0.75)
    for w in order:
        if w.startswith("conv-fwdbwd"):
            for t in threads:
                m = best.get((w, t), {})
                peers = [m[s] for s in ("pytorch-env", "pytorch-Cooperlake") if m.get(s) is not None]
                if m.get("jdk25") and peers:
                    check(f"{label(w)}, {t} thread(s), / PyTorch best at that count", m["jdk25"] / min(peers), 1.0)
    for w in (lenet, mlp):
        for t in threads:
            j17 = best.get((w, t), {}).get("jdk17")
            if w in order and j17 and ours(w, t):
                check(f"{label(w)}, {t} thread(s), JDK 17 / JDK 25", j17 / ours(w, t), 1.15)
    if 1 in threads and 2 in threads:
        for w, limit in ((lenet, 1.6), (mlp, 1.3), ("gemm:n256", 1.7)):
            if w in order and ours(w, 1) and ours(w, 2):
                check(f"two-thread speedup, {label(w)}", ours(w, 1) / ours(w, 2), limit, at_most=False)
    return out


if __name__ == "__main__":
    main()
