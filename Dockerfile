# Peermap's app; Neo4j runs beside it from the official image (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY server ./server
COPY graph ./graph
COPY schema ./schema
COPY maps ./maps
RUN pip install --no-cache-dir -r requirements.lock . && useradd --create-home peermap
USER peermap
ENV PEERMAP_HOST=0.0.0.0 PEERMAP_PORT=8000
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["peermap", "serve"]
