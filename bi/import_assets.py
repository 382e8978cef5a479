"""Import a bundle of `bi/` into Superset, overwriting every asset by UUID (run by the Superset venv's python).

`superset import-dashboards` keeps existing databases, datasets and charts as they are (only the dashboard is
overwritten), so a chart changed in the repository would never reach Superset. This is Superset's own
"assets" import (the one behind POST /api/v1/assets/import/), which overwrites all of them.

Usage: python bi/import_assets.py BUNDLE.zip USERNAME
"""

import sys
from zipfile import ZipFile

from superset.app import create_app

app = create_app()
with app.app_context():
    from superset import security_manager
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.commands.importers.v1.utils import get_contents_from_bundle
    from superset.utils.core import override_user

    bundle, username = sys.argv[1], sys.argv[2]
    with ZipFile(bundle) as z, override_user(security_manager.find_user(username=username)):
        ImportAssetsCommand(get_contents_from_bundle(z)).run()
    print(f"imported {bundle}")
