#!/usr/bin/env bash
# Builds the repository's Dockerfile here, where no image registry is reachable: on the
# local base image of docker/base-image.sh (made once, then kept) instead of node:24-slim,
# with podman, trusting this machine's CA bundle for the npm registry (a build secret, so
# it never lands in a layer). Layers are cached: a rebuild after a source edit skips the
# dependency download.
#   docker/build-image.sh [TAG]          default TAG: ringdht:local
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-ringdht:local}
base=${RINGDHT_BASE_IMAGE:-localhost/ringdht-base:bookworm-node24}
ca=${RINGDHT_BUILD_CA:-${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}}

started=$SECONDS
RINGDHT_BASE_IMAGE=$base docker/base-image.sh
base_s=$((SECONDS - started))
secret=()
[ -s "$ca" ] && secret=(--secret "id=ca,src=$ca")
podman build --format docker --network=host --build-arg "NODE_IMAGE=$base" "${secret[@]}" -t "$tag" . >&2
build_s=$((SECONDS - started - base_s))
size=$(podman image inspect "$tag" --format '{{.Size}}')
echo "image $tag: $((size / 1000000)) MB ($size bytes); base ${base_s} s, image build ${build_s} s"
