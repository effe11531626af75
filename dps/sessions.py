"""The database session store, reading a session with SQL compiled once per process (issue 16).

Every signed-in request reads its session. Django's store builds and compiles the same
`Session.objects.get(session_key=..., expire_date__gt=now)` each time, which took several times
as long as running it. This store runs that query's SQL, compiled once, with the request's key
and the current time; everything else (saving, expiry, clearing) is Django's own.
"""

import datetime
import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

# Stand-ins compiled into the query where the session's key and the current time go.
_ANY_KEY = "dps-any-session-key"
_ANY_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _expiry_value(model, moment, connection):
    """A time as the expiry comparison passes it to the database (a string on SQLite)."""
    return model._meta.get_field("expire_date").get_db_prep_value(moment, connection)


@functools.cache
def _load_sql(model, alias):
    connection = connections[alias]
    query = model.objects.filter(session_key=_ANY_KEY, expire_date__gt=_ANY_TIME).values_list(
        "session_data"
    )
    sql, params = query.query.get_compiler(using=alias).as_sql()
    stand_ins = [_ANY_KEY, _expiry_value(model, _ANY_TIME, connection)]
    if len(params) != 2 or any(stand_in not in params for stand_in in stand_ins):
        raise RuntimeError(f"The session query compiled unexpectedly: {sql} {params}")
    # Which parameter is which, by position.
    return sql, [param == _ANY_KEY for param in params]


class SessionStore(db.SessionStore):
    def load(self):
        connection = connections[router.db_for_read(self.model)]
        sql, is_key = _load_sql(self.model, connection.alias)
        now = _expiry_value(self.model, timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key if key else now for key in is_key])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store does for a missing or expired session
            return {}
        return self.decode(row[0])
