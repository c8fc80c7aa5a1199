#!/usr/bin/python3
"""Where the time of a run went, from a JFR recording's execution samples.

    java -XX:StartFlightRecording=filename=run.jfr,settings=profile ... dev.expanse.bench.TrainSteps ...
    bench/jfr_summary.py run.jfr [jfr-binary]

Prints two tables of sample shares: by backend kernel (the Backend method of CpuBackend or
VectorCpuBackend on the stack, with the kernel class it ran in; "outside kernels" is the engine,
allocation and the harness), and by the hottest leaf methods. A sample is one Java stack of a
running thread, taken about every 10-20 ms per thread by the 'profile' settings.
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+([\w.$]+)\.([\w$<>]+)\(")


def stacks(path, jfr):
    text = subprocess.run([jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                          check=True, capture_output=True, text=True).stdout
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = [m.groups() for m in map(FRAME.match, event.splitlines()) if m]
        if frames:
            yield frames  # leaf first


def kernel(frames):
    """'Backend method' of the outermost backend frame, or None outside the kernels."""
    found = None
    for cls, method in frames:
        if cls.endswith("cpu.VectorCpuBackend") or cls.endswith("cpu.CpuBackend") or cls.endswith("opencl.OpenClBackend"):
            found = method
    return found


def main():
    path = sys.argv[1]
    jfr = sys.argv[2] if len(sys.argv) > 2 else "jfr"
    by_kernel, by_leaf, total = collections.Counter(), collections.Counter(), 0
    for frames in stacks(path, jfr):
        total += 1
        by_kernel[kernel(frames) or "outside kernels"] += 1
        cls, method = frames[0]
        by_leaf[cls.rsplit(".", 1)[-1] + "." + method] += 1
    print(f"{total} samples\n\n| backend kernel | share |\n|---|---:|")
    for name, n in by_kernel.most_common():
        print(f"| {name} | {100 * n / total:.1f}% |")
    print("\n| leaf method (self time) | share |\n|---|---:|")
    for name, n in by_leaf.most_common(12):
        print(f"| {name} | {100 * n / total:.1f}% |")


if __name__ == "__main__":
    main()
