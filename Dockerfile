# The sdet-audit image: the binary and the two tools it runs (xmllint for the GAR schemas,
# xmlsec1 for XML signatures), nothing else, as an unprivileged user.
#
#   docker build -t sdet-audit .
#   docker run --rm sdet-audit demo
#   docker run --rm -v "$PWD:/audit" -e SDET_ELEVE_USER -e SDET_ELEVE_PASSWORD \
#     sdet-audit audit --target target.yaml --evidence preuves/ --output rapport.html
#
# The runtime stage's package list is checked against what the binary needs by
# packaging/smoke.sh, which .ci/run runs where no container engine can build this file.

FROM rust:1.89-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin sdet-audit

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libxml2-utils xmlsec1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 sdet \
 && mkdir /audit && chown sdet /audit
COPY --from=build /src/target/release/sdet-audit /usr/local/bin/sdet-audit
USER sdet
WORKDIR /audit
ENTRYPOINT ["sdet-audit"]
CMD ["--help"]
