# nianbao's image: the worker (`nianbao serve`) and the Prefect server of docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
# Scanned reports need Tesseract's chi_sim data (tesserocr's wheel brings the engine); legacy .doc/.wps need
# LibreOffice Writer (README "Scanned reports and legacy Word").
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt README.md ./
COPY nianbao ./nianbao
COPY flows ./flows
COPY dbt_project ./dbt_project
COPY expectations ./expectations
# Editable: the package finds dbt_project/ and expectations/ beside itself, as in a checkout.
RUN pip install --no-cache-dir -c constraints.txt -e .
ENV PREFECT_SERVER_ANALYTICS_ENABLED=false
CMD ["nianbao", "serve"]
