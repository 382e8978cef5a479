# Superset for docker-compose.yml: the same pinned recipe as `nianbao bi setup` (bi/requirements.txt with
# bi/constraints.txt, in its own venv), the dashboards of bi/ and the stdlib-only driver nianbao/bi.py.
FROM python:3.11-slim
COPY bi/requirements.txt bi/constraints.txt /app/bi/
RUN python -m venv /opt/superset \
 && /opt/superset/bin/pip install --no-cache-dir -c /app/bi/constraints.txt -r /app/bi/requirements.txt
COPY bi /app/bi
COPY nianbao/bi.py /app/nianbao/bi.py
COPY docker/superset_start.py /app/docker/superset_start.py
ENV SUPERSET_VENV=/opt/superset SUPERSET_HOME=/var/lib/superset
WORKDIR /app
CMD ["python", "docker/superset_start.py"]
