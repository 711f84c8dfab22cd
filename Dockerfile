# syntax=docker/dockerfile:1
# CPC Tracker's production image, in two stages: the build has the dev dependencies the TypeScript build
# needs; the runtime has only the production ones and the compiled app. Node 24 is the production target.
# .ci/dockerfile-dry-run runs these same steps in clean folders where no Docker engine exists.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm's cache lives in a BuildKit cache mount: reused between builds, never part of a layer.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY config ./config
COPY migrations ./migrations
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap limit of `npm start` (package.json): V8 collects before the process grows past ~250 MB resident.
CMD ["node", "--max-old-space-size=160", "dist/src/main.js"]
