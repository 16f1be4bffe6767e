#!/usr/bin/env bash
# Installs what cellpress needs on Debian 12 / Raspberry Pi OS bookworm (needs the Swift 6
# toolchain already on PATH: https://www.swift.org/install/linux/ — Debian has no package).
# Safe to run again.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  libgpiod-dev gpiod          # GPIO: libgpiod v1.6 (Debian 12)
  libi2c-dev i2c-tools        # I2C: libi2c SMBus helpers
  libsqlite3-dev              # the store
  libtiff-dev libtiff-tools   # tomography volumes
  systemd                     # systemd-analyze verify of board/cellpress.service (tests)
  chromium                    # renders the HTML report headless in a test
)
[ -f "$(dirname "$0")/requirements-test.txt" ] && PIP_MODE=1 || PIP_MODE=0

if ! command -v swift >/dev/null 2>&1; then
  echo "setup.sh: swift is not on PATH; install the Swift 6 toolchain first (https://www.swift.org/install/linux/)" >&2
  exit 1
fi
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "$PIP_MODE" = 1 ]; then
  # Test peers (PyMeasure against the SMU emulator, tifffile for volume files).
  if ! python3 -m pip --version >/dev/null 2>&1; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip
  fi
  python3 -m pip install -q -r "$(dirname "$0")/requirements-test.txt" \
    || python3 -m pip install -q --break-system-packages -r "$(dirname "$0")/requirements-test.txt"
fi
echo "setup.sh: system packages ready"
