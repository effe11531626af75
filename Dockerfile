# Production image: gunicorn for the web service, the same image runs the Celery worker and beat.

# GOV.UK Frontend, MOJ Frontend and our Sass are built with Node, then only the results are copied.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/scss static/scss
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango and HarfBuzz from the system.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 dps
WORKDIR /app
COPY pyproject.toml ./
COPY dps dps
COPY themes themes
COPY pssp pssp
COPY presentations presentations
COPY reports reports
RUN pip install .
COPY . .
COPY --from=assets /app/node_modules/govuk-frontend node_modules/govuk-frontend
COPY --from=assets /app/node_modules/@ministryofjustice/frontend node_modules/@ministryofjustice/frontend
COPY --from=assets /app/static/build static/build
# collectstatic needs settings but no secrets: build in embedded mode.
RUN DEBUG=true python manage.py collectstatic --noinput \
 && mkdir -p var/private && chown -R dps:dps var
USER dps
EXPOSE 8000
CMD ["gunicorn", "dps.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
