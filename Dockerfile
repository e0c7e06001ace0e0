# One image for every Passerelle process; SERVICE picks which one runs (partnerships, activities, audit, gateway).
# The build stage compiles better-sqlite3 from source (no prebuilt download is assumed) and the TypeScript.

FROM node:20.20.2-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY events ./events
COPY domain ./domain
COPY projections ./projections
COPY services ./services
COPY scripts ./scripts
# The console: typed operations generated from the checked-in supergraph, then bundled by Vite.
COPY schema ./schema
COPY console ./console
RUN npx tsc -p tsconfig.json && npm run build:console && npm prune --omit=dev

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PASSERELLE_HOST=0.0.0.0 \
    PASSERELLE_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY schema ./schema
# The stores' mount points, made here and owned by node: a named volume mounted on a path the image has takes
# its owner, where one the image lacks would be root's, and the services (running as node) could not write.
RUN mkdir -p /data /personal /erasures /ledger && chown node:node /data /personal /erasures /ledger
USER node
ARG SERVICE=gateway
ENV PASSERELLE_SERVICE=${SERVICE}
VOLUME ["/data"]
EXPOSE 4000 4001 4002 4003
# The compose file gives each service its own health check on its own port.
CMD ["sh", "-c", "exec node dist/services/${PASSERELLE_SERVICE}/main.js"]
