"""An API worker starts lean: the heavy libraries load only with the requests that need them."""

import json
import subprocess
import sys

# Each costs tens of MB in every worker; exports to files, imports and the shareable map load
# them when asked.
HEAVY = ("pandas", "geopandas", "pyarrow", "folium", "matplotlib")


def modules_after(statement: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running ``statement``."""
    probe = (
        f"import json, sys\n{statement}\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return json.loads(answer.stdout)


def test_importing_the_app_loads_none_of_the_heavy_libraries():
    assert modules_after("import api.main") == []


def test_building_the_app_loads_none_of_them_either(database_url):
    statement = (
        "from api.main import create_app\n"
        "from api.settings import ApiSettings\n"
        "from geo.db import DatabaseSettings\n"
        f"create_app(ApiSettings(db=DatabaseSettings(database_url={database_url!r})))"
    )
    assert modules_after(statement) == []
