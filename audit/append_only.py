"""Records that are evidence (the audit trail, ledger entries, statements) are written once:
a correction is a new record, never an edit or a deletion. On PostgreSQL, triggers in the owning
apps' migrations enforce the same in the database."""

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

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"a {self._meta.verbose_name} cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"a {self._meta.verbose_name} cannot be deleted")
