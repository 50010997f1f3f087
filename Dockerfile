# syntax=docker/dockerfile:1
# mlapi server image: production dependencies only, runs as the unprivileged `node` user, holds no secret
# (JWT_SECRET, SUPERUSER_PASSWORD and DATABASE_URL come from the environment at run time).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 and bcrypt build or load native modules
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# onnxruntime-node's install script: skip the CUDA download (the CPU binary is in the package)
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY apps/server/package.json apps/server/
COPY apps/cli/package.json apps/cli/
COPY apps/cli/bin apps/cli/bin/
COPY packages/db/package.json packages/db/
COPY packages/ml/package.json packages/ml/
COPY packages/onnx/package.json packages/onnx/
COPY packages/schemas/package.json packages/schemas/
COPY packages/sdk/package.json packages/sdk/
COPY apps/dashboard/package.json apps/dashboard/
RUN npm ci --omit=dev --no-audit --no-fund

# The admin dashboard's static files, built with the dev tooling in a stage of its own.
FROM deps AS dashboard
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY packages ./packages
COPY apps/server ./apps/server
COPY apps/dashboard ./apps/dashboard
RUN npm run build -w @mlapi/dashboard

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY apps/server ./apps/server
COPY packages/db ./packages/db
COPY packages/ml ./packages/ml
# ONNX runtime for MODEL_DIR_V1/V2 (loaded only when one is set); mount your model directories, e.g. at /models
COPY packages/onnx ./packages/onnx
COPY packages/schemas ./packages/schemas
COPY --from=dashboard /app/apps/dashboard/dist ./apps/dashboard/dist
# One ESM bundle of the server and the workspace packages (scripts/bundle.mjs, as `npm start` does): no TypeScript
# loader at run time, ≈ 60 MB less memory than running the sources through tsx.
RUN node apps/server/scripts/bundle.mjs && mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Migrations are applied at start; SIGTERM drains in-flight requests before exiting.
CMD ["node", "--max-semi-space-size=8", "apps/server/dist/main.mjs"]
