# qbd-bridge as a container: `docker build -t qbd-bridge .` then
#   docker run -p 4000:4000 -v qbd-data:/data -e PUBLIC_BASE_URL=https://qbd.example.com qbd-bridge
# Data (the embedded database) lives in the /data volume; set DATABASE_URL to use a PostgreSQL server instead
# (deploy/docker-compose.yml). The start command is the one .ci/run starts and checks.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY plugins/sdk/package.json plugins/sdk/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/bin bin
COPY --from=build /app/plugins/sdk/package.json plugins/sdk/
RUN mkdir -p /data && chown node:node /data
# The image's own unprivileged user: the service needs no privilege, only its data volume.
USER node
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets in-flight Web Connector calls finish before the database closes.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=64", "--v8-pool-size=1", "dist/service/main.js"]
