# The server as an image: `docker build -t peloton-ts .` (docker-compose.yml builds it too).
# test/e2e/image-build.test.ts replays the build and deps stages' COPY and RUN lines and the
# runtime stage's COPY lines in temporary folders, then runs CMD and HEALTHCHECK from the result.

# build: every dependency (buf, ts-proto, typescript), codegen, tsc -> dist/ and gen/
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY proto ./proto
COPY buf.yaml buf.gen.yaml tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# deps: production dependencies only; none of them needs its install script at run time
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# runtime: node under tini, as the unprivileged `node` user, listening on every interface
FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir /data \
  && chown node:node /data
WORKDIR /app
ENV NODE_ENV=production \
  PELOTON_LISTEN_ADDRESS=0.0.0.0:5392 \
  PELOTON_METRICS_ADDRESS=0.0.0.0:5292 \
  PELOTON_DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist ./dist
COPY --from=build /app/gen ./gen
USER node
VOLUME /data
EXPOSE 5392 5292
# grpc.health.v1 over the gRPC port (TLS when PELOTON_TLS_* says so); NOT_SERVING while the
# database does not answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/src/app/health-check.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/app/main.js"]
