"""Queries compiled to SQL once per process and database, run with each request's values (issue 16).

Every signed-in request reads its session, its user and the user's permissions, and every log page
reads its filters' boroughs and products. Building and compiling those querysets with the ORM
took several times as long as running them. A `CompiledQuery` builds its queryset once per
database, with a stand-in where each of the request's values goes, keeps the SQL, and runs it
with the real values.

Only the SQL is kept: every call reads the database afresh, so a renamed borough, a deactivated
user or a revoked permission shows on the very next read. The rows come back as the ORM would
give them (the database's converters applied: SQLite's dates and booleans, say).
"""

import datetime

from django.db import connections, router
from django.db.models.query import ModelIterable


def _as_database_takes_it(value, connection):
    """A value as the ORM passes it to the database in a comparison with a field of its type
    (on SQLite a time is a string in UTC; on PostgreSQL it goes as it is)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _Compiled:
    """One query compiled for one database: its SQL, which parameter takes which value, and how
    its columns are read back."""

    def __init__(self, queryset, connection, stand_ins):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        taken = {name: _as_database_takes_it(value, connection) for name, value in stand_ins}
        # For each parameter, the name of the value it takes, or None: a constant of the query.
        self.slots = [
            next((name for name, stand_in in taken.items() if param == stand_in), None)
            for param in params
        ]
        self.constants = params
        missing = set(taken) - set(self.slots)
        if missing:
            # The ORM compiled a condition away (an id outside the column's range compiles to
            # nothing, say): the query would silently ignore a value.
            raise RuntimeError(f"The query lost its {', '.join(sorted(missing))}: {self.sql}")
        self.compiler = compiler
        columns = [expression for expression, _, _ in compiler.select]
        self.converters = compiler.get_converters(columns)
        # The fields' names when the query reads whole rows of its model and nothing else.
        whole_rows = (
            queryset._iterable_class is ModelIterable
            and not compiler.klass_info.get("related_klass_infos")
            and len(columns) == len(compiler.klass_info["select_fields"])
        )
        self.attnames = [column.target.attname for column in columns] if whole_rows else None


class CompiledQuery:
    """A query built once per database by `build(**stand_ins)` and run with real values.

    `stand_ins` names each value the query takes and gives a stand-in for it: a value of the same
    type that no real row holds and no other part of the query uses, so its place among the
    compiled parameters is unmistakable. For example::

        USER = CompiledQuery(lambda pk: User.objects.filter(pk=pk), pk=-2_147_483_647)
        USER.instances(pk=request_user_id)
    """

    def __init__(self, build, **stand_ins):
        self._build = build
        self._stand_ins = tuple(stand_ins.items())
        self._compiled = {}  # database alias -> _Compiled
        self._model = None

    def _for_database(self):
        if self._model is None:
            self._model = self._build(**dict(self._stand_ins)).model
        connection = connections[router.db_for_read(self._model)]
        compiled = self._compiled.get(connection.alias)
        if compiled is None:
            queryset = self._build(**dict(self._stand_ins))
            compiled = self._compiled[connection.alias] = _Compiled(
                queryset, connection, self._stand_ins
            )
        return connection, compiled

    def rows(self, **values):
        """Every row, as tuples, as `values_list()` would give them."""
        connection, compiled = self._for_database()
        params = [
            constant if name is None else _as_database_takes_it(values[name], connection)
            for name, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return [tuple(row) for row in rows]

    def instances(self, **values):
        """Every row as a model instance, as iterating the queryset would give them (for a
        queryset of whole model rows, nothing joined in)."""
        connection, compiled = self._for_database()
        if compiled.attnames is None:
            raise TypeError("instances() reads whole rows of one model, nothing joined in")
        return [
            self._model.from_db(connection.alias, compiled.attnames, row)
            for row in self.rows(**values)
        ]
