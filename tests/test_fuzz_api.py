"""Property-based fuzzing of the whole HTTP API from its own OpenAPI document (schemathesis).

schemathesis's command line runs against the app as `make run` serves it (a real uvicorn on the
test database). A short, bounded run is part of `make test`; `make fuzz` sets ZS_FUZZ_EXAMPLES
higher. The check: no generated request gets a 5xx. Each crash found becomes a regression test
(see tests/api/test_hostile_input.py).
"""

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = os.environ.get("ZS_FUZZ_EXAMPLES", "10")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_no_server_errors(server):
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{server}/openapi.json",
        "--checks",
        "not_a_server_error",
        "--phases",
        "examples,fuzzing",
        "--max-examples",
        EXAMPLES,
        "--generation-deterministic",
        "--workers",
        "2",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    (Path(__file__).parent / "artifacts" / "schemathesis.log").write_text(
        done.stdout, encoding="utf-8"
    )
    assert done.returncode == 0, done.stdout[-6000:]
