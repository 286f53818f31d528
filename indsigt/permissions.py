"""Who sees the network's health: network leaders only."""

from accounts.permissions import is_network_leader


def can_view_network_health(user) -> bool:
    return is_network_leader(user)
