import gc

from django.core.management.base import BaseCommand

from portal import catch_up


class Command(BaseCommand):
    help = "Run the scheduled work missed since it last ran (settings.CARM_CATCH_UP_JOBS). Safe to repeat."

    def handle(self, *args, **options):
        gc.freeze()  # as carm.celery's workers: the nightly runs' garbage collections skip start-up's heap
        for job, result in catch_up.run().items():
            self.stdout.write(f"{job}: {result}")
