# One image for web, worker and beat; docker-compose.yml picks the command.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run build:css

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    PATH="/app/.venv/bin:$PATH"
# WeasyPrint needs Pango to lay out PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        fonts-liberation && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
COPY --from=assets /app/static/build static/build
COPY --from=assets /app/node_modules/govuk-frontend/dist/govuk node_modules/govuk-frontend/dist/govuk
RUN DJANGO_SECRET_KEY=build python manage.py collectstatic --noinput
RUN useradd --create-home casefile && mkdir -p var && chown -R casefile var
USER casefile
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py"]
