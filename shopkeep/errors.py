"""Errors a user can act on. The CLI prints their message on one line and exits non-zero."""


class ShopkeepError(Exception):
    """An error with a message meant for the shop owner, never containing customer data."""

    exit_code = 1


class StoreError(ShopkeepError):
    """The database cannot be opened or used as asked."""


class StoreBusy(StoreError):
    """Another connection held the write lock for longer than this one was willing to wait."""
