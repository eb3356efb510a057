# ringdht daemon image: `docker compose up` uses it; `docker run ringdht:local --help` too.
# NODE_IMAGE is any image with Node 24, npm and a `node` user: the official node:24-slim by
# default; docker/build-image.sh passes a local one where no image registry is reachable.
ARG NODE_IMAGE=node:24-slim

# Build stage: pnpm (the version package.json pins), the dependencies (a layer of their own,
# rebuilt only when pnpm-lock.yaml changes), then the CLI and what it imports; `pnpm deploy`
# copies only the CLI's production dependencies to /out. pnpm's store and metadata live in
# a build cache mount, so a rebuild, even after the images are gone, downloads nothing it
# already has. An optional build secret `ca` (a CA bundle, for networks that intercept TLS)
# is trusted by npm and pnpm; without it nothing changes.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm install --global --no-fund --no-audit --no-update-notifier pnpm@10.34.9 \
 && pnpm config set --global store-dir /pnpm/store \
 && pnpm config set --global cache-dir /pnpm/cache
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=secret,id=ca --mount=type=cache,id=ringdht-pnpm,target=/pnpm \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && pnpm fetch
COPY . .
# --ignore-scripts: the only install script that matters here is the `node` devDependency
# downloading a second Node binary, which the base image makes pointless; lmdb and
# msgpackr-extract load their prebuilt binaries without one. --prefer-offline: the store
# normally has everything (pnpm fetch), but a build cache may have been pruned since. The
# (legacy) deploy resolves the CLI's production dependencies again, from the registry's
# metadata.
RUN --mount=type=secret,id=ca --mount=type=cache,id=ringdht-pnpm,target=/pnpm \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && pnpm install --prefer-offline --frozen-lockfile --ignore-scripts \
 && node_modules/.bin/tsc -b apps/cli \
 && pnpm --filter @ringdht/cli deploy --prod --legacy --prefer-offline --ignore-scripts /out \
 && rm -rf /out/src /out/test /out/tsconfig.json /out/dist/test /out/dist/tsconfig.tsbuildinfo

# Runtime stage: the base image's node + the deployed CLI, nothing else.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    RINGDHT_DATA_DIR=/data \
    RINGDHT_LISTEN=/ip4/0.0.0.0/tcp/4001 \
    RINGDHT_LOG_FORMAT=json \
    RINGDHT_HEALTH_SOCKET=/tmp/ringdht-health.sock
WORKDIR /app
COPY --from=build /out /app
RUN chmod +x /app/dist/src/bin.js \
 && ln -s /app/dist/src/bin.js /usr/local/bin/ringdht \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4001
# Asks the daemon's health socket (joined, has a successor): no libp2p client, no network.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/dist/src/healthcheck.js"]
ENTRYPOINT ["ringdht"]
CMD ["start"]
