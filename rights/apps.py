from django.apps import AppConfig


class RightsConfig(AppConfig):
    """The rights kernel: first in INSTALLED_APPS, imports no domain app. The domain apps register
    with it from their own `ready()`."""

    name = "rights"
