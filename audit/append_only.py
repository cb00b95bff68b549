"""Records that are evidence (the audit trail, ledger entries, statements) are written once:
a correction is a new record, never an edit or a deletion. On PostgreSQL the database refuses it
too: the `append_only` trigger declared here (django-pgtrigger) is installed by each subclass's
migrations; pgtrigger skips it on SQLite, where the model and queryset guards below stand alone.
A subclass declaring its own Meta extends `AppendOnlyModel.Meta` to keep the trigger."""

import pgtrigger
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"a {self._meta.verbose_name} cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"a {self._meta.verbose_name} cannot be deleted")
