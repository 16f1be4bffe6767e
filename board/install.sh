#!/usr/bin/env bash
# Installs cellpress on a Debian 12 / Raspberry Pi OS bookworm board. Idempotent: running
# it again updates the binary and unit and keeps the configuration and database.
#   sudo board/install.sh [path/to/cellpress]     (default: .build/release/cellpress)
# Options through the environment: ROOT=/some/dir installs into a staging tree (used by the
# tests), SKIP_SYSTEMCTL=1 leaves systemd alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/../.build/release/cellpress}"
ROOT="${ROOT:-}"
[ -x "$binary" ] || { echo "install.sh: no cellpress binary at $binary (build: swift build -c release)" >&2; exit 1; }

if [ -z "$ROOT" ]; then
  for group in i2c gpio dialout; do getent group "$group" >/dev/null || groupadd --system "$group"; done
  if ! id cellpress >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/cellpress --shell /usr/sbin/nologin --user-group \
      --groups i2c,gpio,dialout cellpress
  else
    usermod -a -G i2c,gpio,dialout cellpress
  fi
fi
install -d -m 0755 "$ROOT/usr/local/bin" "$ROOT/etc/systemd/system" "$ROOT/etc/udev/rules.d" "$ROOT/usr/share/doc/cellpress"
install -d -m 0750 "$ROOT/etc/cellpress" "$ROOT/var/lib/cellpress"
install -m 0755 "$binary" "$ROOT/usr/local/bin/cellpress"
install -m 0644 "$here/cellpress.service" "$ROOT/etc/systemd/system/cellpress.service"
install -m 0644 "$here/60-cellpress.rules" "$ROOT/etc/udev/rules.d/60-cellpress.rules"
install -m 0644 "$here/../README.md" "$ROOT/usr/share/doc/cellpress/README.md"
# The configuration is the operator's: installed once, never overwritten.
if [ ! -e "$ROOT/etc/cellpress/cellpress.toml" ]; then
  install -m 0640 "$here/cellpress.example.toml" "$ROOT/etc/cellpress/cellpress.toml"
fi
if [ -z "$ROOT" ]; then
  chown -R cellpress:cellpress /var/lib/cellpress
  chgrp cellpress /etc/cellpress /etc/cellpress/cellpress.toml
  if [ "${SKIP_SYSTEMCTL:-0}" != 1 ]; then
    udevadm control --reload-rules && udevadm trigger || true
    systemctl daemon-reload
    systemctl enable cellpress.service
  fi
fi
echo "install.sh: cellpress installed${ROOT:+ into $ROOT}; edit /etc/cellpress/cellpress.toml, check it with 'cellpress config check', then 'systemctl start cellpress'"
