# Multi-stage build: frontend, then server, then a slim runtime running as a non-root user.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM rust:1.95.0-bookworm AS server
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY migrations ./migrations
COPY data/standards ./data/standards
COPY tests/fixtures ./tests/fixtures
RUN cargo build --release --locked --bin ksbfolio

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 ksbfolio \
    && mkdir -p /var/lib/ksbfolio && chown ksbfolio /var/lib/ksbfolio
COPY --from=server /src/target/release/ksbfolio /usr/local/bin/ksbfolio
COPY --from=frontend /src/frontend/dist /usr/share/ksbfolio/frontend
USER ksbfolio
ENV KSBFOLIO_BIND=0.0.0.0:8080 \
    KSBFOLIO_DATA_DIR=/var/lib/ksbfolio \
    KSBFOLIO_STATIC_DIR=/usr/share/ksbfolio/frontend \
    KSBFOLIO_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["ksbfolio"]
CMD ["serve"]
