#!/usr/bin/env bash
# Installs what PrivacyDesk needs to build, run and test on Debian 12+ / Ubuntu 22.04+, and only
# what is missing: system packages from apt (with sudo when not root), the UI's npm packages
# from the committed lock file, and (for `make test`) tauri-driver from crates.io.
#   scripts/install-deps.sh run    # what `make run` needs
#   scripts/install-deps.sh test   # plus test tools (WebKitWebDriver, Xvfb, keyring, PDF tools)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

build_pkgs=(build-essential pkg-config file ca-certificates curl libwebkit2gtk-4.1-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libssl-dev fonts-dejavu-core)
test_pkgs=(webkit2gtk-driver xvfb xauth dbus dbus-x11 gnome-keyring sqlite3 qpdf poppler-utils imagemagick)

pkgs=("${build_pkgs[@]}")
[ "$purpose" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "error: Node.js 20 or newer is needed to build the UI (found $(node --version))." >&2
  echo "       On Debian 12 / Ubuntu 22.04 install Node.js 20 from your distribution's backports or NodeSource." >&2
  exit 1
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: the Rust toolchain (cargo) is needed: install it with rustup (https://rustup.rs)." >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
stamp=ui/node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  echo "==> installing UI packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  cp ui/package-lock.json "$stamp"
fi

if [ "$purpose" = test ]; then
  tools="${TOOLS_ROOT:?TOOLS_ROOT is set by the Makefile}"
  if [ ! -x "$tools/bin/tauri-driver" ]; then
    echo "==> installing tauri-driver into $tools"
    cargo install --locked --quiet tauri-driver --version 2.0.6 --root "$tools"
  fi
fi
