"""Superset settings for nianbao's dashboards (loaded through SUPERSET_CONFIG_PATH by `nianbao bi`).

Metadata lives in SQLite under SUPERSET_HOME; the warehouse is a read-only DuckDB connection imported from
`bi/databases/`. Nothing here is a secret: `nianbao bi` passes SUPERSET_SECRET_KEY from the environment or from
a key file it generates under the Superset home, never a default.
"""

import os

from superset.config import THEME_DEFAULT as SUPERSET_THEME  # defined before this file is read

DATA_DIR = os.environ["SUPERSET_HOME"]
SQLALCHEMY_DATABASE_URI = f"sqlite:///{os.path.join(DATA_DIR, 'superset.db')}?check_same_thread=false"
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# Offline and local: no example data, no telemetry, no thumbnails or alerts (they need Celery and a browser).
SUPERSET_WEBSERVER_TIMEOUT = 120
LOG_LEVEL = "WARNING"
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}  # the warehouse is republished in place: always query it
FEATURE_FLAGS = {"DASHBOARD_RBAC": False, "ALERT_REPORTS": False, "THUMBNAILS": False}
TALISMAN_ENABLED = False  # served on 127.0.0.1 only

# Chinese labels: name an installed CJK font (Debian fonts-noto-cjk or fonts-wqy-zenhei) after Superset's own
# Latin font, so the browser never falls back to a font without the glyphs.
CJK_FONTS = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei'"
THEME_DEFAULT = {
    **SUPERSET_THEME,
    "token": {
        **SUPERSET_THEME["token"],
        "brandAppName": "nianbao · 年报",
        "fontFamily": f"Inter, {CJK_FONTS}, Helvetica, Arial, sans-serif",
    },
}
THEME_DARK = None


def _sqlite_metadata_pragmas(dbapi_con, _record) -> None:
    """WAL + synchronous=NORMAL for the SQLite metadata: set-up runs thousands of small commits (fsync each)."""
    if type(dbapi_con).__module__.startswith("sqlite3"):
        dbapi_con.execute("pragma journal_mode=wal")
        dbapi_con.execute("pragma synchronous=normal")


def _install_pragmas() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "connect", _sqlite_metadata_pragmas)


_install_pragmas()
