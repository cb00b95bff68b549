"""Periodic house-keeping runs through Celery: inline by default, through Redis when there is one."""

import socket
from datetime import timedelta

import pytest
from celery import current_app
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import purge_expired_sessions
from carm.celery import app


def _expired_and_live_sessions():
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    return expired.session_key, live.session_key


def test_the_purge_is_scheduled_by_celery_beat():
    schedule = app.conf.beat_schedule
    assert schedule["purge-expired-sessions"]["task"] == purge_expired_sessions.name


@pytest.mark.django_db
def test_purge_removes_expired_sessions_only():
    expired, live = _expired_and_live_sessions()
    assert purge_expired_sessions.delay().get() == 1
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not _redis_reachable(), reason="no Redis broker on 127.0.0.1:6379")
def test_purge_runs_through_a_real_redis_broker_and_worker():
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    expired, live = _expired_and_live_sessions()
    # The same task body, registered on an app that talks to Redis (the project's app runs inline in tests).
    broker_app = Celery("carm-broker-test", broker="redis://127.0.0.1:6379/15", backend="redis://127.0.0.1:6379/15")
    task = broker_app.task(name=purge_expired_sessions.name)(purge_expired_sessions.run)
    try:
        with start_worker(broker_app, perform_ping_check=False, pool="solo", concurrency=1):
            assert task.delay().get(timeout=20) == 1
    finally:
        # start_worker makes its app the current and default one: left so, every shared_task sent later in
        # this process (a workbench run...) would go to this Redis queue and never run.
        app.set_current()
        app.set_default()
    assert current_app._get_current_object() is app  # shared tasks sent later in the suite run inline again
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()
