# ringdht daemon image: `docker compose up` uses it; `docker run ringdht:local --help` too.
# Build stage: install the workspace with pnpm (through npx, no corepack), compile the CLI
# and what it imports, then `pnpm deploy` copies only the CLI's production dependencies.
FROM node:24-slim AS build
WORKDIR /src
ENV CI=true
COPY . .
RUN npx --yes pnpm@10 install --frozen-lockfile \
 && node_modules/.bin/tsc -b apps/cli \
 && npx --yes pnpm@10 --filter @ringdht/cli deploy --prod --legacy /out \
 && rm -rf /out/src /out/test /out/tsconfig.json /out/dist/test /out/dist/tsconfig.tsbuildinfo

# Runtime stage: node + the deployed CLI, nothing else.
FROM node:24-slim
ENV NODE_ENV=production \
    RINGDHT_DATA_DIR=/data \
    RINGDHT_LISTEN=/ip4/0.0.0.0/tcp/4001 \
    RINGDHT_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /out /app
RUN chmod +x /app/dist/src/bin.js \
 && ln -s /app/dist/src/bin.js /usr/local/bin/ringdht \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 \
  CMD ["ringdht", "status", "--peer", "/ip4/127.0.0.1/tcp/4001", "--timeout", "4000"]
ENTRYPOINT ["ringdht"]
CMD ["start"]
