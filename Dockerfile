# Spine Routine: one slim image; the SQLite database lives on the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    ENVIRONMENT=production \
    DATABASE_URL=sqlite:////data/spine.db

RUN useradd --create-home --uid 10001 app && mkdir /data && chown app:app /data
WORKDIR /app

# Exactly the versions of requirements.lock (make lock, from pyproject.toml), each
# checked against its hashes: the postgres extra too, so the same image runs on
# SQLite or PostgreSQL, and the setuptools that builds the app.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY server ./server
# The app itself, from the source above: it fetches nothing.
RUN pip install --no-deps --no-index --no-build-isolation . && rm -rf build

COPY content ./content
COPY web ./web
ENV CONTENT_DIR=/app/content WEB_DIR=/app/web

USER app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=2)"]
CMD ["python", "-m", "server"]
