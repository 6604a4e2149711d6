# One image for every Shopfloor service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY . .
RUN CI=true pnpm install --frozen-lockfile
ENV NODE_ENV=production HOST=0.0.0.0
EXPOSE 3000
CMD ["pnpm", "exec", "tsx", "services/standalone/src/main.ts"]
