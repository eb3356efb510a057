#!/usr/bin/env bash
# Builds a local stand-in for the official node:24-slim image where no image registry is
# reachable: a Debian bookworm root filesystem from Debian's own packages (debootstrap
# --variant=minbase), the Node 24 binary this repository already installed (the `node`
# devDependency), npm from the npm registry, and the `node` user (uid 1000) the official
# image has. Imported with `podman import` as $RINGDHT_BASE_IMAGE; an existing image is
# kept (CI caches it between runs) unless --force is given.
#   docker/base-image.sh [--force]        needs root, podman, debootstrap
set -euo pipefail
cd "$(dirname "$0")/.."
image=${RINGDHT_BASE_IMAGE:-localhost/ringdht-base:bookworm-node24}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "${1:-}" != --force ] && podman image exists "$image"; then
  echo "base image $image exists (docker/base-image.sh --force rebuilds it)"
  exit 0
fi
node_bin=$(readlink -f node_modules/node/bin/node 2>/dev/null || true)
if [ ! -x "$node_bin" ]; then
  echo "no node_modules/node/bin/node: run \`npx --yes pnpm@10 install\` first" >&2
  exit 1
fi
node_version=$("$node_bin" --version)

work=$(mktemp -d /tmp/ringdht-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
started=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}

# Node in the official image's places: /usr/local/bin/{node,npm,npx}, npm under
# /usr/local/lib/node_modules. npm is the one release line Node 24 ships (11).
install -m 0755 "$node_bin" "$root/usr/local/bin/node"
(cd "$work" && npm pack --silent npm@11 >npm.name)
mkdir -p "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work/$(cat "$work/npm.name")" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

# What the slim images leave out: package lists, docs, man pages, caches.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
  "$root"/usr/share/locale/* "$root"/var/log/*.log "$root"/tmp/* "$root"/root/.npm

tar -C "$root" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change 'CMD ["node"]' \
  --message "debootstrap minbase bookworm + node $node_version" - "$image" >/dev/null
echo "base image $image: node $node_version, $(podman image inspect "$image" --format '{{.Size}}') bytes, built in $((SECONDS - started)) s"
