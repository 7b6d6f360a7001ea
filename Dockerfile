# jwt-conformance for CI systems other than GitHub Actions: the lean runner (with the live
# key-set vectors, no OpenSSL) with the corpus built in, and Python and Node with the protocol
# helpers installed. docs/maintainers.md. The build stage copies every workspace member and
# every path the build reads (conformance/tests/packaging.rs derives them from Cargo.toml).
#
#   docker build -t jwt-conformance .
#   docker run --rm -v "$PWD:/work" jwt-conformance \
#       run --adapter 'exec:python3 ci/jwt_adapter.py' --fail-on must --baseline ci/jwt-baseline.json --reports report
#
# The adapter's own library is the project's: install it in the job (pip, npm) before the run.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY verifier verifier
COPY forge forge
COPY corpus corpus
COPY conformance conformance
COPY tools tools
COPY benches benches
COPY keyserver keyserver
COPY vectors vectors
COPY docs docs
RUN cargo install --locked --path conformance --no-default-features --features live --root /opt/jwt-conformance

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv nodejs npm ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/jwt-conformance/bin/conformance /usr/local/bin/conformance
COPY adapters/python /opt/jwt-conformance/adapters/python
COPY adapters/node /opt/jwt-conformance/adapters/node
# Python: a venv first on PATH, with the helper (`import jwt_conformance_adapter`).
RUN python3 -m venv /opt/jwt-conformance/venv \
    && /opt/jwt-conformance/venv/bin/pip install --no-cache-dir /opt/jwt-conformance/adapters/python
ENV PATH=/opt/jwt-conformance/venv/bin:$PATH
# Node: the helper in /node_modules, which resolves `import 'jwt-conformance-adapter'` from any
# folder (ES modules ignore NODE_PATH). `npm install` cannot run in / (npm 9 fails there with
# "Tracker idealTree already exists"), and the helper has no dependencies: its package, as
# `npm pack` makes it, is unpacked in place.
RUN cd /tmp && npm pack --silent /opt/jwt-conformance/adapters/node >/dev/null \
    && mkdir -p /node_modules/jwt-conformance-adapter \
    && tar -xzf jwt-conformance-adapter-*.tgz --strip-components=1 -C /node_modules/jwt-conformance-adapter \
    && rm jwt-conformance-adapter-*.tgz
WORKDIR /work
ENTRYPOINT ["conformance"]
CMD ["run"]
