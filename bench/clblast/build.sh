#!/usr/bin/env bash
# Builds bench/clblast/target/sgemm_bench, the CLBlast peer of the OpenCL benchmarks.
# Needs gcc, libclblast-dev (CLBlast 1.5+, for Sconvgemm) and ocl-icd-opencl-dev.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p target
gcc -O2 -Wall -Wextra -std=c11 -D_POSIX_C_SOURCE=200809L -o target/sgemm_bench sgemm_bench.c -lclblast -lOpenCL -lm
