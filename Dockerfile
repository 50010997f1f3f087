# mlapi server image: production dependencies only, runs as the unprivileged `node` user, holds no secret
# (JWT_SECRET, SUPERUSER_PASSWORD and DATABASE_URL come from the environment at run time).
# Node 24 LTS in every stage, so the native modules built in `deps` (better-sqlite3) match the runtime's Node.
# No `# syntax=` line: the builder's built-in frontend is enough, and one fails on a builder without network access.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 and bcrypt build or load native modules
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# onnxruntime-node's install script would download GPU provider libraries; the CPU binary ships in the package.
# Set here, not in .npmrc, so the build does not depend on a project config file.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/cli/package.json apps/cli/
COPY apps/cli/bin apps/cli/bin/
COPY packages/db/package.json packages/db/
COPY packages/ml/package.json packages/ml/
COPY packages/onnx/package.json packages/onnx/
COPY packages/schemas/package.json packages/schemas/
COPY packages/sdk/package.json packages/sdk/
COPY apps/dashboard/package.json apps/dashboard/
# One install of everything, native modules compiled once: the dashboard stage builds with it, `prod-deps` prunes it.
RUN npm ci --no-audit --no-fund

# The admin dashboard's static files, built with the dev tooling installed above (no second install).
FROM deps AS dashboard
COPY tsconfig.base.json ./
COPY packages ./packages
COPY apps/server ./apps/server
COPY apps/dashboard ./apps/dashboard
RUN npm run build -w @mlapi/dashboard

# Production dependencies only, and only this platform's onnxruntime binaries (the package ships macOS, Windows and
# Linux arm64/x64 ones, ≈ 245 MB the image never loads) and no GPU provider libraries (the server runs on CPU);
# better-sqlite3 keeps its compiled module, not the SQLite sources and object files it was built from (≈ 25 MB).
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund \
  && (cd node_modules/better-sqlite3 && rm -rf deps src build/deps build/Release/obj build/Release/obj.target \
       build/Release/.deps build/Release/test_extension.node && test -f build/Release/better_sqlite3.node) \
  && arch="$(node -p process.arch)" \
  && for napi in node_modules/onnxruntime-node/bin/napi-v*; do \
       rm -rf "$napi/darwin" "$napi/win32"; \
       find "$napi/linux" -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} +; \
     done \
  && find node_modules/onnxruntime-node \( -name '*providers_cuda*' -o -name '*providers_tensorrt*' \) -delete \
  && ls node_modules/onnxruntime-node/bin/napi-v*/linux/"$arch"/onnxruntime_binding.node

FROM node:24-bookworm-slim AS runtime
# Without DATABASE_URL the server keeps its SQLite file (and, outside production, its generated JWT secret) on the
# /data volume, which the `node` user owns; compose points DATABASE_URL at PostgreSQL instead.
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data DATABASE_URL=sqlite:/data/mlapi.sqlite
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json tsconfig.base.json ./
COPY apps/server ./apps/server
COPY packages/db ./packages/db
# The built-in models' artifacts and sources; their base data sets (production dependencies, ≈ 95 MB in node_modules)
# let the server retrain them (POST /admin/models/{service}/retrain), in a child process run through tsx.
COPY packages/ml ./packages/ml
# ONNX runtime for MODEL_DIR_V1/V2 (loaded only when one is set); mount your model directories, e.g. at /models
COPY packages/onnx ./packages/onnx
COPY packages/schemas ./packages/schemas
COPY --from=dashboard /app/apps/dashboard/dist ./apps/dashboard/dist
# One ESM bundle of the server and the workspace packages (scripts/bundle.mjs, as `npm start` does): no TypeScript
# loader at run time, ≈ 60 MB less memory than running the sources through tsx.
RUN node apps/server/scripts/bundle.mjs && mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
# Asks the port the server listens on (PORT), not a fixed one.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations are applied at start; SIGTERM drains in-flight requests before exiting.
CMD ["node", "--max-semi-space-size=8", "apps/server/dist/main.mjs"]
