# nianbao's image: the worker (`nianbao serve`) and the Prefect server of docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY nianbao ./nianbao
COPY flows ./flows
COPY dbt_project ./dbt_project
COPY expectations ./expectations
# Editable: the package finds dbt_project/ and expectations/ beside itself, as in a checkout.
RUN pip install --no-cache-dir -c constraints.txt -e .
ENV PREFECT_SERVER_ANALYTICS_ENABLED=false
CMD ["nianbao", "serve"]
