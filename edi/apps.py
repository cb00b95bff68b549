from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class EdiConfig(AppConfig):
    name = "edi"
    verbose_name = _("EDI and system-to-system channels")

    def ready(self):
        from . import subscribers
        from .models import Channel, Delivery, Message, Subscription, own_business_rows

        rights.register_rows(Message, own_business_rows("business"))
        rights.register_rows(Channel, own_business_rows("business"))
        rights.register_rows(Delivery, own_business_rows("channel__business"))
        rights.register_path(Subscription, "program_account")
        subscribers.connect()
