"""Apache Superset over the published warehouse: set up once, import the dashboards kept in `bi/`, serve.

Superset pins older SQLAlchemy / pandas / numpy than nianbao, so it runs from its own venv (`.superset-venv`,
pinned by `bi/requirements.txt` + `bi/constraints.txt`) and this module only drives its command line. The
dashboards, charts, datasets and the database are Superset's own export format (YAML) under `bi/`; the one
thing not in the repository is the warehouse path, written into the database URI at import time, read-only.
Secrets are never defaults: the admin password comes from NIANBAO_BI_PASSWORD or is generated and printed,
the Flask SECRET_KEY from SUPERSET_SECRET_KEY or a key file generated in the Superset home.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "bi"
BUNDLE_PARTS = ("metadata.yaml", "databases", "datasets", "charts", "dashboards")
WAREHOUSE_PLACEHOLDER = "${WAREHOUSE}"
DEFAULT_VENV = ROOT / ".superset-venv"
DEFAULT_HOME = ROOT / "build" / "superset"
ADMIN = "admin"
PASSWORD_ENV = "NIANBAO_BI_PASSWORD"
SECRET_ENV = "SUPERSET_SECRET_KEY"


class BIError(RuntimeError):
    """A Superset step failed; the message says which and how."""


@dataclass(frozen=True)
class Superset:
    """Where Superset's code (venv) and state (home: SQLite metadata, secret key, bundle) live."""

    venv: Path = DEFAULT_VENV
    home: Path = DEFAULT_HOME

    @property
    def executable(self) -> Path:
        return self.venv / "bin" / "superset"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SUPERSET_HOME": str(self.home),
            "SUPERSET_CONFIG_PATH": str(BUNDLE / "superset_config.py"),
            SECRET_ENV: os.environ.get(SECRET_ENV) or self._secret_key(),
            "FLASK_APP": "superset",
        }

    def _secret_key(self) -> str:
        """The home's own key, made once: sessions and encrypted fields stay valid across restarts."""
        path = self.home / "secret_key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()

    def require_venv(self) -> None:
        if not self.executable.exists():
            raise BIError(f"no Superset venv at {self.venv}: run `nianbao bi setup` first")

    def run(self, *args: str, step: str) -> str:
        """The `superset` command line with this home's settings."""
        return self._call([str(self.executable), *args], step)

    def python(self, *args: str, step: str) -> str:
        """A script run by the venv's python with this home's settings (for what the CLI cannot do)."""
        return self._call([str(self.venv / "bin" / "python"), *args], step)

    def _call(self, argv: list[str], step: str) -> str:
        self.require_venv()
        done = subprocess.run(argv, env=self.env(), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BIError(
                f"superset {step} failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        return done.stdout + done.stderr


def install_venv(venv: Path = DEFAULT_VENV) -> bool:
    """Create the Superset venv with the pinned recipe unless it is there already; True when installed now."""
    if (venv / "bin" / "superset").exists():
        return False
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q", "-c", str(BUNDLE / "constraints.txt")]
    subprocess.run([*pip, "-r", str(BUNDLE / "requirements.txt")], check=True)
    return True


def admin_exists(home: Path) -> bool:
    db = home / "superset.db"
    if not db.exists():
        return False
    with sqlite3.connect(db) as con:
        try:
            return con.execute("select 1 from ab_user where username = ?", (ADMIN,)).fetchone() is not None
        except sqlite3.OperationalError:  # metadata not migrated yet
            return False


def setup(s: Superset) -> str | None:
    """Migrate the metadata database, create roles and the admin user; return a password generated now.

    With NIANBAO_BI_PASSWORD set, the admin gets that password (also when the user exists already). Without
    it, a new admin gets a generated password, returned so the caller prints it once; an existing admin keeps
    the password it has.
    """
    install_venv(s.venv)
    s.home.mkdir(parents=True, exist_ok=True)
    s.run("db", "upgrade", step="db upgrade")
    wanted = os.environ.get(PASSWORD_ENV)
    generated = None
    if not admin_exists(s.home):
        password = wanted or (generated := secrets.token_urlsafe(12))
        s.run(
            "fab", "create-admin", "--username", ADMIN, "--firstname", "nianbao", "--lastname", "admin",
            "--email", "admin@localhost", "--password", password, step="fab create-admin",
        )  # fmt: skip
    elif wanted:
        s.run("fab", "reset-password", "--username", ADMIN, "--password", wanted, step="fab reset-password")
    s.run("init", step="init")
    return generated


def render_bundle(warehouse: Path, out: Path) -> Path:
    """Zip `bi/` as a Superset import bundle with the warehouse's absolute path in the read-only URI."""
    warehouse = warehouse.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as z:
        for part in BUNDLE_PARTS:
            base = BUNDLE / part
            for f in [base] if base.is_file() else sorted(base.rglob("*.yaml")):
                text = f.read_text(encoding="utf-8")
                if f.parent.name == "databases":
                    text = text.replace(WAREHOUSE_PLACEHOLDER, str(warehouse))
                z.writestr(f"nianbao_bi/{f.relative_to(BUNDLE)}", text)
    return out


def import_dashboards(s: Superset, warehouse: Path) -> Path:
    """Import the database, datasets, charts and dashboards of `bi/`, each overwriting its copy (by UUID)."""
    if not warehouse.exists():
        raise BIError(f"no warehouse at {warehouse}: run `nianbao build` first")
    bundle = render_bundle(warehouse, s.home / "bundle.zip")
    s.python(str(BUNDLE / "import_assets.py"), str(bundle), ADMIN, step="import")
    return bundle


def serve_command(s: Superset, host: str, port: int) -> list[str]:
    """Superset's WSGI app under gunicorn (installed with Superset): one process, threads for the charts."""
    return [
        str(s.venv / "bin" / "gunicorn"),
        "--bind", f"{host}:{port}", "--workers", "1", "--worker-class", "gthread", "--threads", "8",
        "--timeout", "120", "--log-level", "warning", "superset.app:create_app()",
    ]  # fmt: skip


def serve(s: Superset, host: str, port: int) -> int:
    s.require_venv()
    print(f"nianbao bi: Superset on http://{host}:{port}/ (user {ADMIN}); Ctrl-C stops it", flush=True)
    try:
        return subprocess.run(serve_command(s, host, port), env=s.env(), check=False).returncode
    except KeyboardInterrupt:
        return 0
