import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SESSION_STARTED_KEY = "dps_session_started"
SESSION_REFRESHED_KEY = "dps_session_refreshed"


class AbsoluteSessionLimitMiddleware:
    """Sign a user out once their session is older than SESSION_ABSOLUTE_LIMIT, however active,
    and keep an active session from reaching the idle limit (SESSION_COOKIE_AGE).

    The idle limit alone would let a session live for ever with regular use. The idle expiry is
    pushed back by saving the session, which costs a transaction and an UPDATE: it is done when
    the last refresh is SESSION_REFRESH_INTERVAL old or more, not on every request, so the idle
    limit holds to within that interval.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
                logout(request)
                return redirect_to_login(request.get_full_path())
            refreshed = session.get(SESSION_REFRESHED_KEY, 0)
            if now - refreshed >= settings.SESSION_REFRESH_INTERVAL.total_seconds():
                session[SESSION_REFRESHED_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)
