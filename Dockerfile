# faxrender: the CLI and the HTTP service in a slim Debian image.
#
#   docker build -t faxrender .                                  # without LibreOffice
#   docker build -t faxrender --build-arg WITH_LIBREOFFICE=1 .   # with it (legacy .doc)
#     (LibreOffice runs in a bubblewrap sandbox, which needs user namespaces:
#      run with --security-opt seccomp=unconfined or a profile allowing them;
#      without LibreOffice, .doc files fall back to a text-only rendering)
#   docker run --rm -p 8080:8080 faxrender                       # the service (serve)
#   docker run --rm -v "$PWD:/data" faxrender convert /data/in.jpg -o /data/out.tif
#
# The service listens on 0.0.0.0:8080 in the container; configure it with
# FAXRENDER_* variables (FAXRENDER_CONCURRENCY, FAXRENDER_QUEUE,
# FAXRENDER_JOB_TIMEOUT, FAXRENDER_MAX_PAGES, FAXRENDER_MAX_BYTES, FAXRENDER_LOG).

# ---- PDFium stage: libpdfium.so from the pinned pypdfium2 wheel -------------
# scripts/setup-pdfium.sh downloads the pinned wheel, checks its SHA-256 and
# extracts the library (there is no Debian package for PDFium).
FROM python:3.11-slim-bookworm AS pdfium
WORKDIR /src
COPY scripts/setup-pdfium.sh ./scripts/
RUN PDFIUM_DIR=/opt/pdfium scripts/setup-pdfium.sh

# ---- Build stage: release binary --------------------------------------------
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
# the committed fonts are embedded in the binary (include_bytes!)
COPY fonts ./fonts
RUN cargo build --release --locked --bin faxrender

# ---- Runtime ------------------------------------------------------------------
FROM debian:bookworm-slim
ARG WITH_LIBREOFFICE=0
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && if [ "$WITH_LIBREOFFICE" = "1" ]; then \
      apt-get install -y --no-install-recommends libreoffice-writer python3-uno bubblewrap; \
    fi \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /nonexistent --shell /usr/sbin/nologin faxrender
COPY --from=pdfium /opt/pdfium /opt/pdfium
COPY --from=build /src/target/release/faxrender /usr/local/bin/faxrender
ENV FAXRENDER_PDFIUM=/opt/pdfium/libpdfium.so \
    FAXRENDER_LISTEN=0.0.0.0:8080 \
    FAXRENDER_LOG=info
USER faxrender
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/faxrender"]
CMD ["serve"]
