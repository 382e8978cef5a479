FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY nianbao ./nianbao
COPY flows ./flows
COPY dbt_project ./dbt_project
COPY expectations ./expectations
RUN pip install --no-cache-dir -c constraints.txt .
ENV NIANBAO_PROJECT_DIR=/app
CMD ["python", "-m", "flows.serve"]
