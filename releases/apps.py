from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Releases awaiting accounting")

    def ready(self):
        from .models import Release

        rights.register_records(Release)  # a provider sees them as it sees the importer's CADs
