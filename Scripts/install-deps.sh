#!/usr/bin/env bash
# Installs the Debian packages SwiftKeras needs, skipping those already present.
#
#   libopenblas-dev        OpenBLAS (cblas_sgemm and friends) for module COpenBLAS
#   zlib1g-dev             zlib, for reading the gzip'd IDX files of the datasets
#   libhdf5-dev            HDF5, for Keras's .weights.h5 files (module CHDF5)
#   libpng-dev             libpng, for decoding PNG files in imageDatasetFromDirectory
#   libturbojpeg0-dev      libjpeg-turbo's TurboJPEG API, for decoding JPEG files there
#   dataset-fashion-mnist  Fashion-MNIST on disk, for the demo and the dataset tests
#   libopenmpi-dev, openmpi-bin  Open MPI and mpirun, for data-parallel training (CMPI)
#   iproute2               ip netns, for the two-host MPI test (Scripts/two-host-mpi.sh)
#
# Runs `apt-get update` only when something is missing; uses sudo when not root.
# Usage: Scripts/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(libopenblas-dev zlib1g-dev libhdf5-dev libpng-dev libturbojpeg0-dev dataset-fashion-mnist libopenmpi-dev openmpi-bin iproute2 "$@")

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
