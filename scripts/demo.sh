#!/usr/bin/env bash
# The main job on a fresh machine: installs what is needed, fetches the data, builds, and runs
# the demo: an MLP 784-300-200-10 trained on full MNIST for 3 epochs, one line per epoch.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/expanse train --model mlp --dataset mnist --epochs 3 --lr-decay 0.5 "$@"
