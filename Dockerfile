# syntax=docker/dockerfile:1
# Chainboard's image: the production build served by bin/chainboard-server.mjs (Next behind the read API's
# fast path; a custom server, so not Next's standalone output) on node:20-slim, with the production
# dependencies only, running as the unprivileged `node` user (uid 1000). Used by deploy/base/deployment.yaml.
#   docker build -t REGISTRY/chainboard:TAG .
# (Not built in this project's own CI: its machines have no Docker engine.)

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# public/ is optional in a Next app; the runtime stage copies it either way.
RUN mkdir -p public && npm run build

FROM node:20-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000
# Application files stay owned by root and read-only to the app; the Deployment mounts emptyDirs on
# /tmp and /app/.next/cache, the only places Next writes at run time.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/next.config.js ./
COPY --from=build /app/bin/chainboard-server.mjs ./bin/
COPY --from=build /app/.next ./.next
COPY --from=build /app/public ./public
RUN rm -rf .next/cache && mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE 3000
CMD ["node", "bin/chainboard-server.mjs", "-H", "0.0.0.0"]
