# Multi-stage build: compile in the Rust image, run on a slim Debian.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin stocktaking

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /data stocktaking \
    && mkdir -p /data && chown stocktaking /data
COPY --from=build /src/target/release/stocktaking /usr/local/bin/stocktaking
USER stocktaking
WORKDIR /data
ENV BIND=0.0.0.0:8080 LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["stocktaking"]
CMD ["serve"]
