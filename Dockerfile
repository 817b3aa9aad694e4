# The app image for docker-compose.yml. The Makefile is the primary way to run zhengshou; this
# image runs the same commands (migrate, load, serve) against the compose file's PostGIS.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY api api
COPY geo geo
COPY migrations migrations
COPY data data
COPY static static
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["sh", "-c", "zhengshou migrate && zhengshou load-reference && zhengshou load-gazetteer && zhengshou load && zhengshou serve --host 0.0.0.0 --port 8000"]
