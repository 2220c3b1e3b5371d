# syntax=docker/dockerfile:1.7
# One multi-target Dockerfile for the four services: `docker build --target ingest -t resolute/ingest .`
# (tracker, notifier, gateway likewise). Each image holds only its service, the shared library and their
# locked dependencies (uv.lock), keeps the repository layout (Alembic finds services/<svc>/migrations),
# runs as an unprivileged user and serves with `serve`; `migrate` runs the migrations as a separate step.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: uv resolves nothing here; it installs exactly what uv.lock pins ----------------------------------
FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# the workspace's manifests first, so dependency layers are rebuilt only when the lock changes
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY cli/pyproject.toml cli/
COPY services/ingest/pyproject.toml services/ingest/
COPY services/tracker/pyproject.toml services/tracker/
COPY services/notifier/pyproject.toml services/notifier/
COPY services/gateway/pyproject.toml services/gateway/
COPY shared/src shared/src

FROM build AS build-ingest
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package resolute-ingest
COPY services/ingest/src services/ingest/src
COPY services/ingest/migrations services/ingest/migrations
RUN uv sync --frozen --no-dev --package resolute-ingest

FROM build AS build-tracker
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package resolute-tracker
COPY services/tracker/src services/tracker/src
COPY services/tracker/migrations services/tracker/migrations
RUN uv sync --frozen --no-dev --package resolute-tracker

FROM build AS build-notifier
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package resolute-notifier
COPY services/notifier/src services/notifier/src
COPY services/notifier/migrations services/notifier/migrations
RUN uv sync --frozen --no-dev --package resolute-notifier

FROM build AS build-gateway
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package resolute-gateway
COPY services/gateway/src services/gateway/src
COPY services/gateway/migrations services/gateway/migrations
RUN uv sync --frozen --no-dev --package resolute-gateway

# --- runtime: slim, no build tools, no uv, an unprivileged numeric user (runAsNonRoot can verify it) -------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 resolute \
    && useradd --system --uid 10001 --gid resolute --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin resolute
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RESOLUTE_ENVIRONMENT=production \
    RESOLUTE_HOST=0.0.0.0 \
    RESOLUTE_LOG_FORMAT=json \
    RESOLUTE_KAFKA_CREATE_TOPICS=false \
    RESOLUTE_DATA_DIR=/tmp/resolute
WORKDIR /app
USER 10001:10001
# readiness over HTTP with the standard library (slim images have no curl); compose and Kubernetes probe too
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['RESOLUTE_SERVICE_PORT'] + '/readyz', timeout=4)"]

FROM runtime AS ingest
COPY --from=build-ingest /app /app
ENV RESOLUTE_SERVICE_PORT=8101 RESOLUTE_INGEST_PORT=8101
EXPOSE 8101
ENTRYPOINT ["python", "-m", "resolute.ingest"]
CMD ["serve"]

FROM runtime AS tracker
COPY --from=build-tracker /app /app
ENV RESOLUTE_SERVICE_PORT=8102 RESOLUTE_TRACKER_PORT=8102
EXPOSE 8102
ENTRYPOINT ["python", "-m", "resolute.tracker"]
CMD ["serve"]

FROM runtime AS notifier
COPY --from=build-notifier /app /app
ENV RESOLUTE_SERVICE_PORT=8103 RESOLUTE_NOTIFIER_PORT=8103
EXPOSE 8103
ENTRYPOINT ["python", "-m", "resolute.notifier"]
CMD ["serve"]

FROM runtime AS gateway
COPY --from=build-gateway /app /app
ENV RESOLUTE_SERVICE_PORT=8000 RESOLUTE_GATEWAY_PORT=8000
EXPOSE 8000
ENTRYPOINT ["python", "-m", "resolute.gateway"]
CMD ["serve"]
