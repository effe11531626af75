"""docker-compose.yml cannot be run here (no Docker engine), so check its shape carefully."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())


def test_it_names_web_worker_db_and_redis():
    assert {"web", "worker", "db", "redis"} <= set(COMPOSE["services"])


def test_every_long_running_service_has_a_health_check():
    for name in ("web", "worker", "db", "redis"):
        assert "test" in COMPOSE["services"][name]["healthcheck"], name


def test_data_lives_in_named_volumes():
    assert {"postgres-data", "redis-data", "private-files"} <= set(COMPOSE["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in COMPOSE["services"]["db"]["volumes"]


def test_web_and_worker_share_one_definition_and_wait_for_healthy_services():
    web, worker = COMPOSE["services"]["web"], COMPOSE["services"]["worker"]
    assert web["environment"] == worker["environment"]
    assert web["environment"]["DEBUG"] == "false"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "gunicorn" in web["command"]
    assert worker["command"].startswith("celery -A dps worker")
