"""Who may import: network leaders only (the import writes as anyone)."""

from accounts.permissions import is_network_leader


def can_import(user) -> bool:
    return is_network_leader(user)
