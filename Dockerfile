# faxrender: build and run the CLI in a slim Debian image.
#   docker build -t faxrender .
#   docker run --rm -v "$PWD:/data" faxrender convert /data/in.jpg -o /data/out.tif
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
COPY scripts/setup-pdfium.sh ./scripts/
RUN cargo build --release --locked --bin faxrender
# PDFium from the pinned pypdfium2 wheel, shipped next to the binary
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-pip >/dev/null \
 && PDFIUM_DIR=/src/pdfium scripts/setup-pdfium.sh

FROM debian:bookworm-slim
RUN useradd --system --home /nonexistent faxrender
COPY --from=build /src/target/release/faxrender /usr/local/bin/faxrender
COPY --from=build /src/pdfium/libpdfium.so /src/pdfium/LICENSE-pdfium.txt /usr/local/bin/
USER faxrender
ENTRYPOINT ["/usr/local/bin/faxrender"]
