# faxrender: build and run the CLI in a slim Debian image.
#   docker build -t faxrender .
#   docker run --rm -v "$PWD:/data" faxrender convert /data/in.jpg -o /data/out.tif
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
RUN cargo build --release --locked --bin faxrender

FROM debian:bookworm-slim
RUN useradd --system --home /nonexistent faxrender
COPY --from=build /src/target/release/faxrender /usr/local/bin/faxrender
USER faxrender
ENTRYPOINT ["/usr/local/bin/faxrender"]
