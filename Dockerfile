# ki-monitor in a container: `ki-monitor schedule` (the daily job) or `ki-monitor serve`
# (feeds, review pages, /healthz, /metrics). compose.yaml runs both against PostgreSQL;
# tests/test_ops_deploy.py checks this file. Data (SQLite, feeds, logs) lives in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KI_MONITOR_HOME=/data

RUN useradd --system --uid 10001 --home-dir /data --create-home ki-monitor

WORKDIR /app
COPY pyproject.toml setup.py scrapy.cfg README.md ./
COPY scrapers ./scrapers
COPY monitor ./monitor
COPY storage ./storage
RUN pip install --no-compile '.[postgres]'

USER ki-monitor
VOLUME ["/data"]
EXPOSE 8470
HEALTHCHECK --interval=60s --timeout=5s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8470/healthz', timeout=4)"]
ENTRYPOINT ["ki-monitor"]
CMD ["schedule"]
