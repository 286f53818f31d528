"""No models: present so that post_migrate reaches this app (see apps.py)."""
