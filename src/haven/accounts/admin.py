"""The configuration screens (Django's admin) are for council configuration tables.
Accounts, teams and agencies are managed on Haven's own pages, so they are not registered."""
