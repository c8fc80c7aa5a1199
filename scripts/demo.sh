#!/usr/bin/env bash
# The main job on a fresh machine: installs what is needed, fetches MNIST and Fashion-MNIST,
# builds, and runs a demo of the whole method on MNIST, classes 0-4 then 5-9, with 10% of the
# source data rehearsed: source training on rendered-digit basics then real data, expansion
# 784-300-200-5 -> 784-500-300-10, and target training for frozen EXPANSE, the authors'
# (published) EXPANSE and training from scratch, side by side. About 3-5 minutes on 2 cores.
# Writes results/demo/report.md (tables) and PNG plots; extra options go to `expanse scenario`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/expanse scenario --dataset mnist --rehearsal 0.1 --seeds 1 \
    --strategy frozen-expanse,published-expanse,scratch \
    --epochs-basics 3 --epochs-source 3 --epochs-target 3 --out results/demo "$@"
echo "report: results/demo/report.md"
