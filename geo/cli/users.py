"""The ``zhengshou user`` commands: accounts that sign in on the map page."""

import sys
from typing import Annotated

import typer

from geo.accounts.users import check_password, create_user, disable_user, list_users, set_password
from geo.cli.context import database_session, reported_errors
from geo.messages import message

app = typer.Typer(help="Accounts for the map page (name, password, role).")

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def read_password(from_stdin: bool) -> str:
    """The new password: from stdin for scripts, else asked twice without echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(
            message("cli.password_prompt"), hide_input=True, confirmation_prompt=True
        )
    # Checked before the database is opened, so a short password costs no connection.
    with reported_errors():
        return check_password(password)


@app.command("create")
def user_create(
    name: Annotated[str, typer.Argument(help="The name to sign in with, e.g. 张三.")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "editor",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account; its password is asked twice (or read with --password-stdin)."""
    password = read_password(password_stdin)
    with database_session() as session:
        account = create_user(session, name, password, role)
    typer.echo(message("cli.account_created", role=account.role, name=account.name))


@app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set an account's password; the browsers signed in as it are signed out."""
    password = read_password(password_stdin)
    with database_session() as session:
        set_password(session, name, password)
    typer.echo(message("cli.password_changed", name=name.strip()))


@app.command("disable")
def user_disable(name: Annotated[str, typer.Argument(help="The account's name.")]) -> None:
    """Disable an account: it cannot sign in, and its open sessions end at once."""
    with database_session() as session:
        disable_user(session, name)
    typer.echo(message("cli.account_disabled", name=name.strip()))


@app.command("list")
def user_list() -> None:
    """List accounts (never their passwords)."""
    with database_session() as session:
        accounts = list_users(session)
    if not accounts:
        typer.echo(message("cli.no_accounts"))
    for account in accounts:
        state = (
            message("cli.state_disabled", when=account.disabled_at)
            if account.disabled_at
            else message("cli.state_active")
        )
        typer.echo(f"{account.role:<7} {state:<20} {account.created_at:%Y-%m-%d}  {account.name}")
