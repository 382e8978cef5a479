"""The compose stack, checked by Docker Compose itself (`docker compose config`: no engine needed).

Secrets come only from the operator's `.env` (the file has none and refuses to start without them); the
worker's inbox and the warehouse are volumes; Superset imports the same `bi/` bundle through `nianbao.bi`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows import runners
from nianbao import batches
from tests.conftest import ROOT

COMPOSE_FILE = ROOT / "docker-compose.yml"
SECRETS = ("POSTGRES_PASSWORD", "SUPERSET_ADMIN_PASSWORD", "SUPERSET_SECRET_KEY", "MINIO_ROOT_PASSWORD")


def _compose() -> list[str] | None:
    """`docker compose` (the plugin), else the standalone `docker-compose` (the test extra installs it)."""
    if shutil.which("docker") is None:
        return None
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    standalone = shutil.which("docker-compose") or shutil.which(
        "docker-compose", path=str(Path(sys.executable).parent)
    )
    return [standalone] if standalone else None


COMPOSE = _compose()
pytestmark = pytest.mark.skipif(COMPOSE is None, reason="docker (with compose) is not installed")


def _config(env_file: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("NIANBAO_")}
    return subprocess.run(
        [*COMPOSE, "-f", str(COMPOSE_FILE), "--env-file", str(env_file), "config", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> dict:
    env_file = tmp_path_factory.mktemp("compose") / ".env"
    env_file.write_text(
        (ROOT / ".env.example").read_text() + "".join(f"\n{k}=test-{k.lower()}" for k in SECRETS)
    )
    done = _config(env_file)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_compose_config_passes_with_an_env_file(config):
    assert set(config["services"]) == {
        "postgres",
        "prefect-server",
        "worker",
        "superset",
        "dask-scheduler",
        "dask-worker",
        "minio",
        "minio-bucket",
    }


def test_every_secret_comes_from_the_env_file(config):
    services = config["services"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "test-postgres_password"
    assert services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"] == (
        "postgresql+asyncpg://prefect:test-postgres_password@postgres:5432/prefect"
    )
    assert services["superset"]["environment"]["NIANBAO_BI_PASSWORD"] == "test-superset_admin_password"
    assert services["superset"]["environment"]["SUPERSET_SECRET_KEY"] == "test-superset_secret_key"
    assert services["minio"]["environment"] == {
        "MINIO_ROOT_USER": "nianbao",
        "MINIO_ROOT_PASSWORD": "test-minio_root_password",
    }
    for name in ("worker", "dask-worker", "minio-bucket"):  # the batch store's key is MinIO's root user
        env = services[name]["environment"]
        assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == (
            "nianbao",
            "test-minio_root_password",
        )


def test_the_example_env_file_has_no_secret_and_compose_refuses_to_start_without_one():
    example = (ROOT / ".env.example").read_text()
    assert {k: v for k, v in re.findall(r"^(\w+)=(.*)$", example, re.M) if k in SECRETS} == dict.fromkeys(
        SECRETS, ""
    )
    done = _config(ROOT / ".env.example")
    assert done.returncode != 0
    assert all(f"required variable {k} is missing a value" in done.stderr for k in SECRETS)


def test_the_compose_file_holds_no_password_or_key():
    text = COMPOSE_FILE.read_text()
    for key in ("PASSWORD", "SECRET_KEY", "connection_url"):
        for line in text.splitlines():
            if key.lower() in line.lower() and ":" in line and not line.lstrip().startswith("#"):
                assert "${" in line, f"a literal secret in docker-compose.yml: {line.strip()}"
    assert "admin --password" not in text and "change-me" not in text


def test_the_worker_inbox_and_the_warehouse_are_volumes(config):
    services, volumes = config["services"], config["volumes"]
    worker = {v["target"]: v for v in services["worker"]["volumes"]}
    assert worker["/data/inbox"]["type"] == "bind" and worker["/data/inbox"]["read_only"] is True
    assert worker["/data/inbox"]["source"] == str(ROOT / "inbox")  # NIANBAO_INBOX_DIR of .env.example
    assert worker["/data/build"] == {
        "type": "volume",
        "source": "warehouse",
        "target": "/data/build",
        "volume": {},
    }
    superset = {v["target"]: v for v in services["superset"]["volumes"]}
    assert superset["/data/build"]["source"] == "warehouse" and superset["/data/build"]["read_only"] is True
    assert {"warehouse", "pgdata", "superset-home"} <= set(volumes)
    env = services["worker"]["environment"]
    assert (env["NIANBAO_INBOX"], env["NIANBAO_WAREHOUSE_FILE"]) == (
        "/data/inbox",
        "/data/build/warehouse.duckdb",
    )
    assert env["NIANBAO_CRON"] == "0 2 * * *"
    assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api"


def test_ports_are_published_on_the_loopback_only(config):
    published = [p for s in config["services"].values() for p in s.get("ports", [])]
    assert sorted((p["host_ip"], p["published"], p["target"]) for p in published) == [
        ("127.0.0.1", "4200", 4200),
        ("127.0.0.1", "8088", 8088),
        ("127.0.0.1", "8787", 8787),  # the Dask dashboard
    ]


def test_the_worker_parses_on_two_dask_workers_that_write_batches_to_minio(config):
    """The worker's flow sends ingest and parse batches to the Dask scheduler (`flows.runners`); two Dask
    workers of the same image read the inbox at the same path and write Parquet batches to MinIO's bucket
    (`nianbao.batches`), which the bucket job creates; only the worker mounts the warehouse."""
    services = config["services"]
    worker, dask_worker, scheduler = services["worker"], services["dask-worker"], services["dask-scheduler"]
    assert {worker["image"], dask_worker["image"], scheduler["image"], services["minio-bucket"]["image"]} == {
        "nianbao:latest"
    }
    assert scheduler["command"][:2] == ["dask", "scheduler"] and "8786" in scheduler["command"]
    assert worker["environment"][runners.DASK_ENV] == "tcp://dask-scheduler:8786"
    assert dask_worker["command"][:3] == ["dask", "worker", "tcp://dask-scheduler:8786"]
    assert dask_worker["deploy"]["replicas"] == 2
    assert dask_worker["environment"]["PREFECT_API_URL"] == worker["environment"]["PREFECT_API_URL"]
    inbox = {v["target"]: v for v in dask_worker["volumes"]}
    assert inbox == {"/data/inbox": {v["target"]: v for v in worker["volumes"]}["/data/inbox"]}
    store = {
        k: v for k, v in worker["environment"].items() if k.startswith(("AWS_", "FSSPEC_", "NIANBAO_BATCH"))
    }
    assert store[batches.BATCH_URL_ENV] == "s3://nianbao-batches"
    assert json.loads(store["FSSPEC_S3"])["endpoint_url"] == "http://minio:9000"
    assert services["minio-bucket"]["environment"] == store
    assert dask_worker["environment"] == store | {"PREFECT_API_URL": "http://prefect-server:4200/api"}
    assert "nianbao-batches" in " ".join(services["minio-bucket"]["command"])
    assert worker["depends_on"]["minio-bucket"]["condition"] == "service_completed_successfully"
    assert services["minio"]["volumes"][0]["source"] == "minio-data" and "minio-data" in config["volumes"]


def test_superset_image_imports_the_bi_bundle_through_nianbao_bi(config, tmp_path):
    """Lay out /app as docker/superset.Dockerfile copies it and render the bundle there with no site-packages:
    the start script's `nianbao.bi` works from `bi/` and `nianbao/bi.py` alone, and points the database at
    the warehouse volume."""
    dockerfile = (ROOT / config["services"]["superset"]["build"]["dockerfile"]).read_text()
    for src, dest in re.findall(r"^COPY (\S+) (/app/\S+)$", dockerfile, re.M):
        target = tmp_path / dest.removeprefix("/")
        if (ROOT / src).is_dir():
            shutil.copytree(ROOT / src, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / src, target)
    assert "import_dashboards(s, warehouse)" in (tmp_path / "app/docker/superset_start.py").read_text()
    script = (
        "import sys, zipfile; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from nianbao.bi import import_dashboards, render_bundle;"
        "z = zipfile.ZipFile(render_bundle(Path('/data/build/warehouse.duckdb'), Path(sys.argv[1]) / 'b.zip'));"
        "print(sorted(n.split('/')[1] for n in z.namelist()));"
        "print([z.read(n).decode() for n in z.namelist() if '/databases/' in n][0])"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", script, str(tmp_path / "app")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    parts, database = done.stdout.split("\n", 1)
    assert set(eval(parts)) == {"metadata.yaml", "databases", "datasets", "charts", "dashboards"}
    assert "sqlalchemy_uri: duckdb:////data/build/warehouse.duckdb?access_mode=read_only" in database
