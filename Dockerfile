# syntax=docker/dockerfile:1
# The news graph's image. Production runs the TypeScript sources through tsx's loader on the
# image's own Node 24 (`node --import tsx src/main.ts`): the same code path as `npm start` and the
# tests, no build step whose output could drift from the sources, and the files the server reads
# beside its modules (migrations, the ninjs schemas, the ticker page) stay where they are.
# Not built in CI (no Docker daemon there); CI runs this start command from a production install
# (test/postgres/production-start.test.ts).

# 1. Build: the full install, to generate the Prisma client and the trusted documents.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts codegen.ts tsconfig.json schema.graphql ./
COPY src/clients ./src/clients
COPY test/documents ./test/documents
RUN npm ci

# 2. Run: dependencies only (no install scripts: generation needs the dev tools, and is done).
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY tsconfig.json schema.graphql ./
COPY prisma ./prisma
COPY standards ./standards
COPY src ./src
COPY --from=build /app/src/generated ./src/generated
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form: SIGTERM reaches Node itself, which drains (src/server/shutdown.ts)
CMD ["node", "--import", "tsx", "src/main.ts"]
