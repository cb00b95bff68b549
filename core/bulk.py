"""Inserting many rows at once (a batch of declarations with their lines, ledger entries, audit entries): COPY
on PostgreSQL, several times cheaper than a multi-row INSERT of the same rows; bulk_create
elsewhere.

- `insert(model, objects)`: model objects; the ids are taken from the table's sequence first (one
  query) and set on the objects.
- `insert_rows(model, rows)`: plain dicts of field values (by attribute name: `version_id`), no
  model objects and no ids back (invoices and lines: nothing reads them in the same request); a
  field a row leaves out takes its default.
- `update(model, ids, values, add=(), same=None)`: set (or, for the columns in `add`, increase)
  columns of many rows by id, and the columns of `same` to one value on them all, in one UPDATE …
  FROM unnest on PostgreSQL (bulk_update's CASE expressions cost more than a whole nightly run),
  one prepared UPDATE per row elsewhere.
- `insert_values(model, columns, rows, same)`: rows of values already safe to write as text (the
  statement close builds each statement's figures, JSON and checksum as text), the columns of
  `same` one value on every row: COPY's text format written directly on PostgreSQL, no value adapted.
- `among(field, values)`: the conditions "`field` is one of `values`", one per query to run: on
  PostgreSQL a single `= ANY(array)`, elsewhere IN lists of CHUNK values.

Values go as the ORM would send them: fields whose value the ORM passes to PostgreSQL unchanged
(text, numbers, decimals, dates, booleans, foreign keys) as they are, the others (JSON, ...)
prepared by the field."""

import json
from operator import attrgetter

from django.db import connection
from django.db.models import DateField, F, Field, Lookup, Q

CHUNK = 2000  # values per IN list (SQLite takes at most so many parameters)

AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def insert(model, objects: list) -> None:
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    if not objects:
        return
    fields = model._meta.concrete_fields
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as the ORM raises it
        # The sequence looked up once (OFFSET 0 keeps the subquery from being flattened into the
        # select list): pg_get_serial_sequence per row cost ~10 µs, 50 ms for a nightly run's ids.
        cursor.execute(
            "SELECT nextval(seq) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq OFFSET 0) AS s, "
            "generate_series(1, %s)",
            [table, pk, len(objects)],
        )
        for obj, (pk_value,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk_value
        _copy(cursor, model, fields, map(_row_of(fields), objects))
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def _row_of(fields):
    """A function giving an object's values for `fields`: each attribute as set, read directly, but
    where the field's pre_save computes the value (auto_now, files...). Calling pre_save for every
    value of a nightly run's 5,000 entries cost more than their COPY."""
    read = attrgetter(*(field.attname for field in fields), "pk")  # a tuple, even of one field
    computed = [(i, field) for i, field in enumerate(fields) if not _as_set(field)]

    def row(obj):
        values = list(read(obj)[:-1])
        for i, field in computed:
            values[i] = field.pre_save(obj, True)
        return values

    return row


def _as_set(field) -> bool:
    """Whether the field's pre_save returns the attribute unchanged."""
    if isinstance(field, DateField):  # and DateTimeField: computed only when auto_now(_add)
        return not (field.auto_now or field.auto_now_add)
    return type(field).pre_save is Field.pre_save


def insert_rows(model, rows: list[dict]) -> None:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = {field.attname for field in fields}
    for row in rows:
        if not names.issuperset(row):
            raise TypeError(f"{model.__name__} has no field {sorted(set(row) - names)}")
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows])
        return
    if not rows:
        return
    defaults = {field.attname: field.get_default() for field in fields}  # in the order of `fields`
    with connection.cursor() as cursor, connection.wrap_database_errors:  # a row's values fill in the defaults
        _copy(cursor, model, fields, (list({**defaults, **row}.values()) for row in rows))


def _copy(cursor, model, fields, rows):
    """COPY `rows` (lists of values in the order of `fields`) into the model's table. JSON goes as
    its text (psycopg's Jsonb adapter costs more per value than the rest of the row)."""
    as_json = {i: field for i, field in enumerate(fields) if field.get_internal_type() == "JSONField"}
    prepared = [i for i, field in enumerate(fields) if field.get_internal_type() not in AS_IS and i not in as_json]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            for i in prepared:
                row[i] = fields[i].get_db_prep_save(row[i], connection)
            for i, field in as_json.items():
                row[i] = _json(row[i], field.encoder)
            copy.write_row(row)


def _json(value, encoder):
    """A JSON field's value as COPY takes it: its text. An empty object, the most common value of
    all (a line's charges and adjustments, an audit entry's "before"), is written without the
    encoder: ~1.5 µs a call, 5,000 a batch of 200 CADs."""
    if value is None:
        return None
    if type(value) is dict and not value:
        return "{}"
    return json.dumps(value, cls=encoder)


def insert_values(model, columns: list[str], rows: list[list], same: dict | None = None) -> None:
    """Rows of values in `columns` order (attribute names), and the columns of `same` one value on
    them all; no value None (leave a column out: it takes its default) and no text holding a tab,
    newline or backslash; a JSON field's value is its JSON text. PostgreSQL: COPY's text format
    written out (dates, numbers and datetimes as str() gives them; `same` formatted once), no ids
    back. Elsewhere: bulk_create."""
    if not rows:
        return
    same = same or {}
    if connection.vendor != "postgresql":
        json_columns = {f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"}
        model.objects.bulk_create(
            model(**same, **{c: json.loads(v) if c in json_columns else v for c, v in zip(columns, row, strict=True)})
            for row in rows
        )
        return
    quote = connection.ops.quote_name
    end = "".join(f"\t{value}" for value in same.values()) + "\n"
    text = "".join(["\t".join(map(str, row)) + end for row in rows])
    names = ", ".join([*columns, *same])
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            copy.write(text)


def update(model, ids: list, values: dict[str, list], add=(), same: dict | None = None) -> None:
    """Row `ids[i]` gets `values[column][i]` in each column (attribute names), added to the column's
    value for the columns in `add`, and each column of `same` its one value (on PostgreSQL sent
    once, not as an array of as many copies to adapt: a nightly run's interest_through)."""
    if not ids:
        return
    same = same or {}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = {column: model._meta.get_field(column) for column in [*same, *values]}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            assignments = [f"{quote(fields[c].column)} = %s::{fields[c].db_type(connection)}" for c in same] + [
                f"{quote(fields[c].column)} = l.{quote(fields[c].column)} + v.c{i}"
                if c in add
                else f"{quote(fields[c].column)} = v.c{i}"
                for i, c in enumerate(values)
            ]
            arrays = ", ".join(["%s::bigint[]", *(f"%s::{fields[c].db_type(connection)}[]" for c in values)])
            names = ", ".join(["id", *(f"c{i}" for i in range(len(values)))])
            cursor.execute(
                f"UPDATE {table} AS l SET {', '.join(assignments)} FROM unnest({arrays}) AS v({names}) "
                "WHERE l.id = v.id",
                [*same.values(), ids, *values.values()],
            )
            return
        sets = ", ".join(
            f"{quote(f.column)} = {quote(f.column)} + %s" if c in add else f"{quote(f.column)} = %s"
            for c, f in fields.items()
        )
        cursor.executemany(
            f"UPDATE {table} SET {sets} WHERE id = %s",
            [(*same.values(), *row, pk) for pk, *row in zip(ids, *values.values(), strict=True)],
        )


class _AnyOf(Lookup):
    """`field = ANY(%s)`, the values as one array parameter."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, self.rhs]


def among(field: str, values) -> list:
    """Conditions "`field` is one of `values`" for filter(), one per query to run (none for no
    values). On PostgreSQL one `= ANY(array)`: a single parameter, where an IN list of thousands (a
    nightly run's accounts) costs more to build, parse and plan than to run. Elsewhere IN lists of
    CHUNK values."""
    values = list(values)
    if not values:
        return []
    if connection.vendor == "postgresql":
        return [_AnyOf(F(field), values)]
    return [Q(**{f"{field}__in": values[start : start + CHUNK]}) for start in range(0, len(values), CHUNK)]
