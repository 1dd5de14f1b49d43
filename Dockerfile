# One image for every Tickstream service; the command chooses the service:
#   docker run tickstream node services/gateway/dist/main.js
# Tracing is preloaded through NODE_OPTIONS (instrumentation must be in place before a service
# requires http, express, pg and ioredis); it exports only when OTEL_EXPORTER_OTLP_ENDPOINT is set.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/indicators/package.json packages/indicators/
COPY packages/model/package.json packages/model/
COPY packages/marketdata/package.json packages/marketdata/
COPY packages/platform/package.json packages/platform/
COPY services/ingest/package.json services/ingest/
COPY services/features/package.json services/features/
COPY services/inference/package.json services/inference/
COPY services/gateway/package.json services/gateway/
COPY services/orders/package.json services/orders/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY schemas schemas
COPY packages packages
COPY services services
COPY web web
# The model inference serves while its registry holds none, with the reports the gateway shows.
COPY models models
RUN npx tsc -b && npm run build --workspace web --if-present
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HEALTH_HOST=0.0.0.0 \
    NODE_OPTIONS="--enable-source-maps --require /app/packages/platform/dist/telemetry/register.js"
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/schemas schemas
COPY --from=build --chown=root:root /app/packages packages
COPY --from=build --chown=root:root /app/services services
COPY --from=build --chown=root:root /app/web/dist web/dist
COPY --from=build --chown=root:root /app/models models
# Files stay root-owned and read-only to the process; it runs as the image's unprivileged user.
USER node
EXPOSE 8080 9101 9102 9103 9105
CMD ["node", "services/gateway/dist/main.js"]
