"""The ``zhengshou token`` commands: bearer tokens for editing."""

from typing import Annotated

import typer

from geo.cli.context import database_session
from geo.messages import message
from geo.tokens import create_token, list_tokens, revoke_token

app = typer.Typer(help="Bearer tokens for editing (shown once, stored hashed).")


@app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="Whose token this is, e.g. a planner's name.")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "editor",
) -> None:
    """Create a token; it is printed once, alone on the last line, and never again."""
    with database_session() as session:
        token = create_token(session, name, role)
    typer.echo(message("cli.token_created", name=name, role=role))
    typer.echo(token)


@app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token by its id (the number after zs_)."""
    with database_session() as session:
        revoke_token(session, token_id)
    typer.echo(message("cli.token_revoked", token_id=token_id))


@app.command("list")
def token_list() -> None:
    """List tokens (never their secrets)."""
    with database_session() as session:
        rows = list_tokens(session)
    for token_id, name, role, created, revoked in rows:
        state = (
            message("cli.state_revoked", when=revoked) if revoked else message("cli.state_active")
        )
        typer.echo(f"{token_id:>4}  {role:<7} {state:<18} {created:%Y-%m-%d}  {name}")
