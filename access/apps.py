from django.apps import AppConfig

from businesses.signals import registered


class AccessConfig(AppConfig):
    name = "access"

    def ready(self):
        from . import grants, services  # role grants and employee groups: where importers' rights come from

        grants.register()
        registered.connect(services.make_first_bam, dispatch_uid="access.make_first_bam")
