import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")

app = Celery("carm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_start_up_heap(**kwargs):
    # What start-up loaded (modules, models, URLs) lives as long as the worker: frozen, a task's full
    # garbage collections (a nightly run makes one) walk only what the task made, not ~110,000 objects.
    gc.freeze()
