# Multi-stage build: the SPA and the server are built in the Rust image, and only the
# binary, the built SPA and nothing else go into a slim runtime image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown
COPY . .
RUN cargo xtask build-web \
 && cargo build --release -p harbour-api \
 && mkdir -p /out \
 && cp target/release/harbour /out/harbour \
 && cp -r web/dist /out/web

FROM debian:bookworm-slim
# libssl3: the bundled libpq links OpenSSL dynamically. postgresql-client: pg_dump and
# pg_restore for `harbour backup` / `restore` (15, the compose file's server version).
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3 postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/harbour --create-home harbour \
 && install -d -o harbour /var/lib/harbour/ledger
COPY --from=build /out/harbour /usr/local/bin/harbour
COPY --from=build /out/web /usr/share/harbour/web
USER harbour
WORKDIR /var/lib/harbour
# MALLOC_MMAP_THRESHOLD_: the search index's copies go back to the system (README, Memory).
ENV HARBOUR_LISTEN=0.0.0.0:8080 \
    HARBOUR_WEB_DIR=/usr/share/harbour/web \
    HARBOUR_MODE=production \
    MALLOC_MMAP_THRESHOLD_=131072
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["harbour"]
CMD ["serve"]
