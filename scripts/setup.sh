#!/usr/bin/env bash
# Installs what the project needs beyond a JDK 17 and Maven, on Debian, idempotently:
#   - OpenCL: the ICD loader (its -dev package, since JOCL opens the unversioned libOpenCL.so)
#     and PoCL (CPU OpenCL), so the OpenCL tests run without a GPU;
#   - fonts for rendered-digit basics;
#   - PyTorch and numpy (Debian's), for the tests that exchange checkpoints with PyTorch;
#   - Chromium, headless, for the browser test of the explain page (ExplainBrowserTest);
#   - the real datasets (MNIST, Fashion-MNIST) into the data cache, checked by SHA-256.
# Packages already installed are not touched; apt-get update runs once, only if something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The fonts are those the rendered-digit basics were measured with (docs/basics.md): 67 families.
# PyTorch (Debian's, with OpenBLAS: without libopenblas0-pthread it falls back to reference BLAS) for
# the checkpoint interop tests.
packages=(ocl-icd-opencl-dev pocl-opencl-icd clinfo python3-torch python3-numpy libopenblas0-pthread
    fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-liberation2 fonts-freefont-ttf
    fonts-urw-base35 fonts-crosextra-carlito fonts-crosextra-caladea fonts-comic-neue
    fonts-humor-sans fonts-linuxlibertine fonts-open-sans fonts-roboto-unhinted fonts-lato
    fonts-cantarell fonts-inconsolata fonts-noto-mono
    chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

scripts/fetch-data.sh
