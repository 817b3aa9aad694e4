"""Accounts for the map page: people who sign in with a name and a password.

- ``users``: create an account, change its password, disable it, list them; passwords are
  stored as argon2 hashes (the library the API tokens use, with its slow default profile,
  since people choose guessable passwords).
- ``signin``: check a name and password, with a limit on failed sign-ins per name and per
  client address (the failures are kept in ``sign_in_failures``).
- ``sessions``: a signed-in browser. The cookie carries a random secret and only its SHA-256 is
  stored; each session has a CSRF token, an absolute expiry, and is revoked at sign-out or when
  its account is disabled.

Bearer tokens (``geo/tokens.py``) stay for scripts and GIS tools; both end as a
``geo.tokens.Principal``, whose ``actor`` names the token or the account in every change's
history.
"""
