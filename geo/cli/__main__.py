"""``python -m geo.cli``: the same as the ``zhengshou`` command."""

from geo.cli.main import app

app()
