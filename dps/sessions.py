"""The database session store, reading a session with SQL compiled once per process (issue 16).

Every signed-in request reads its session. Django's store builds and compiles the same
`Session.objects.get(session_key=..., expire_date__gt=now)` each time, which took several times
as long as running it. This store runs that query compiled once (dps.compiled), with the
request's key and the current time; everything else (saving, expiry, clearing) is Django's own.
"""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from dps.compiled import CompiledQuery

_UNEXPIRED_SESSION_DATA = CompiledQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data"
    ),
    key="dps-any-session-key",
    now=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
)


class SessionStore(db.SessionStore):
    def load(self):
        rows = _UNEXPIRED_SESSION_DATA.rows(key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None  # as Django's store does for a missing or expired session
            return {}
        return self.decode(rows[0][0])
