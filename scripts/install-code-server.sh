#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench served to a browser) into a git-ignored cache
# folder so the integration tests can run without downloading desktop VS Code.
# Idempotent: exits at once when the expected version is already there.
set -euo pipefail

VERSION="4.100.3"
RIPGREP_CACHE_VERSION="1.15.11"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
APT_PACKAGES=(libkrb5-dev ripgrep chromium)
NESTED_SCRIPTS="node-pty,kerberos,native-watchdog,@vscode/spdlog,@vscode/ripgrep,@vscode/deviceid,@parcel/watcher,@vscode/windows-process-tree,@vscode/windows-registry,esbuild"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${CODENAV_CODE_SERVER_DIR:-$ROOT/.vscode-test/code-server}"
BIN="$DEST/node_modules/.bin/code-server"
PKG="$DEST/node_modules/code-server"

# code-server's postinstall links this and fills lib/vscode/extensions/node_modules last.
postinstall_done() {
  [ -e "$PKG/lib/vscode/bin/remote-cli/code-server" ] && [ -d "$PKG/lib/vscode/extensions/node_modules" ]
}

log() { echo "[install-code-server] $*"; }

installed_version() {
  [ -x "$BIN" ] || return 1
  XDG_DATA_HOME="$DEST/.data" "$BIN" --config /dev/null --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n 1 | tr -d ' '
}

if [ "$(installed_version || true)" = "$VERSION" ] && postinstall_done; then
  log "code-server $VERSION already installed: $BIN"
  exit 0
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then missing+=("$pkg"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      log "missing Debian packages: ${missing[*]} (run as root or install them first)"
      exit 1
    fi
  fi
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y "${missing[@]}"
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi

RG_BIN="$(command -v rg || true)"
[ -n "$RG_BIN" ] || RG_BIN=/usr/bin/rg
CACHE_DIR="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
if [ ! -s "$CACHE_DIR/$RIPGREP_ARCHIVE" ]; then
  log "building ripgrep archive from $RG_BIN into $CACHE_DIR/$RIPGREP_ARCHIVE"
  mkdir -p "$CACHE_DIR"
  stage="$(mktemp -d)"
  cp "$RG_BIN" "$stage/rg"
  chmod 755 "$stage/rg"
  tar -czf "$CACHE_DIR/$RIPGREP_ARCHIVE.partial" -C "$stage" rg
  mv "$CACHE_DIR/$RIPGREP_ARCHIVE.partial" "$CACHE_DIR/$RIPGREP_ARCHIVE"
  rm -rf "$stage"
else
  log "ripgrep archive already cached: $CACHE_DIR/$RIPGREP_ARCHIVE"
fi

mkdir -p "$DEST"
cd "$DEST"
write_manifest() {
  cat > package.json <<JSON
{
  "name": "codenav-code-server-cache",
  "private": true,
  "dependencies": { "code-server": "$VERSION" },
  "allowScripts": { "argon2": true, "code-server": $1 }
}
JSON
}
printf 'ignore-scripts=false\n' > .npmrc
export npm_config_yes=true npm_config_unsafe_perm=true

# Newer npm runs only the install scripts a project allows. code-server's postinstall runs
# nested npm installs (lib/vscode, lib/vscode/extensions) whose native modules need theirs, so
# install without it first, allow those modules in each nested folder, then run it.
log "npm install code-server@$VERSION in $DEST (takes a few minutes)"
start=$(date +%s)
write_manifest false
npm install --ignore-scripts=false --no-audit --no-fund
for dir in "$PKG/lib/vscode" "$PKG/lib/vscode/extensions"; do
  printf 'ignore-scripts=false\nallow-scripts=%s\n' "$NESTED_SCRIPTS" > "$dir/.npmrc"
done
write_manifest true
if postinstall_done; then
  log "code-server's postinstall already ran (npm without install-script approvals)"
else
  log "running code-server's postinstall (builds native modules)"
  npm rebuild --ignore-scripts=false code-server
fi
log "npm install took $(( $(date +%s) - start ))s"

got="$(installed_version || true)"
if [ "$got" != "$VERSION" ] || ! postinstall_done; then
  log "code-server did not install correctly (version: '${got:-none}')"
  exit 1
fi
log "installed: $(XDG_DATA_HOME="$DEST/.data" "$BIN" --config /dev/null --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n 1)"
