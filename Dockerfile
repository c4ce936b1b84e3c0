# syntax=docker/dockerfile:1
# One production image for every platform process; the command picks the process:
#   node dist/gateway/src/main.js                      the gateway (port 4000)
#   node dist/services/<service>/src/main.js           organization, households, enforcement, notifications (4001–4004)
#   node dist/tools/src/migrate-cli.js                 applies pending migrations of every database, then exits
# Node's flags (source maps, a 384 MB old-generation heap) are those of tools/src/node-args.ts, set in NODE_OPTIONS.
# The demo seed never runs from this image in production: migrate-cli only migrates; start.js and setup-cli.js seed
# empty databases and are for development (see "Deploying" in docs/operations.md).

# Build stage: every dependency (swc, TypeScript tooling) to compile services, gateway, libs and tools into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json ./
COPY libs ./libs
COPY services ./services
COPY gateway ./gateway
COPY tools ./tools
COPY console ./console
RUN npm run build

# Runtime stage: production dependencies and dist/ only, no sources, no compilers.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS="--enable-source-maps --max-old-space-size=384"
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# nx.json marks the workspace root that the tools find their way from (tools/src/repo-root.ts).
COPY nx.json ./
COPY --from=build /app/dist ./dist
# Photos (households' UPLOAD_DIR) go to a volume mounted here; the unprivileged user must own it.
RUN mkdir -p /data/uploads && chown node:node /data/uploads
# The image's own "node" user (uid 1000): no process needs root.
USER node
EXPOSE 4000 4001 4002 4003 4004
# Every process answers GET /health on its PORT (the gateway's default 4000 when PORT is unset). Five tries at 15 s
# give a start-up (migrations on start) over a minute; no --start-period: dockerfilelint misreads that option.
HEALTHCHECK --interval=15s --timeout=3s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/gateway/src/main.js"]
