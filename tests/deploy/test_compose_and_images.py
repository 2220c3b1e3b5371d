"""docker-compose.yml and the Dockerfile, checked without a Docker engine: structure, start-up order, no secrets,
and the image's install steps replayed with the same uv commands on a copy of exactly what the image copies."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from resolute.shared.migrations import upgrade_database
from resolute.shared.testing.postgres import PostgresServer
from tests.deploy.support import COMPOSE_FILE, DEPLOY, DOCKERFILE, PROMETHEUS_CONFIG, REPO, SERVICE_NAMES, run

APP_PORTS = {"ingest": 8101, "tracker": 8102, "notifier": 8103, "gateway": 8000}
EXAMPLE_ENV = DEPLOY / "compose" / "example.env"
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(:?[-?])?([^}]*)\}")


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE_FILE.read_text()))


def _env(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def test_compose_names_the_images_and_services() -> None:
    services = compose()["services"]
    images = {name: s.get("image", "") for name, s in services.items()}
    assert images["kafka"].startswith("apache/kafka:")
    assert images["kafka-topics"] == images["kafka"]
    assert images["postgres"].startswith("postgres:")
    assert images["prometheus"].startswith("prom/prometheus:")
    assert images["grafana"].startswith("grafana/grafana:")
    for name, image in images.items():
        ours = image.startswith("${RESOLUTE_IMAGE_PREFIX")
        assert ours or (":" in image and not image.endswith(":latest")), f"{name}: pin the image's version"
    for name in SERVICE_NAMES:
        for service_name in (name, f"{name}-migrate"):
            service = services[service_name]
            assert service["build"]["target"] == name
            assert service["image"] == f"${{RESOLUTE_IMAGE_PREFIX:-resolute}}/{name}:${{RESOLUTE_IMAGE_TAG:-latest}}"
        assert services[f"{name}-migrate"]["command"] == ["migrate"]


def test_kafka_runs_in_kraft_mode_and_the_services_do_not_create_topics() -> None:
    services = compose()["services"]
    kafka = _env(services["kafka"])
    assert kafka["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "zookeeper" not in COMPOSE_FILE.read_text().lower()
    assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    for name in SERVICE_NAMES:
        env = _env(services[name])
        assert env["RESOLUTE_KAFKA_CREATE_TOPICS"] == "false"
        assert env["RESOLUTE_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env["RESOLUTE_ENVIRONMENT"] == "production"


def test_start_up_is_gated_on_health_and_finished_steps() -> None:
    services = compose()["services"]

    def condition(service: str, on: str) -> str:
        return str(services[service]["depends_on"][on]["condition"])

    assert condition("kafka-topics", "kafka") == "service_healthy"
    for name in SERVICE_NAMES:
        assert condition(f"{name}-migrate", "postgres") == "service_healthy"
        assert condition(name, f"{name}-migrate") == "service_completed_successfully"
        if name != "gateway":
            assert condition(name, "kafka-topics") == "service_completed_successfully"
            assert condition("gateway", name) == "service_healthy"
    for name, service in services.items():
        long_running = service.get("restart") != "no"
        assert ("healthcheck" in service) == long_running, name
    for name in SERVICE_NAMES:
        test = " ".join(services[name]["healthcheck"]["test"])
        assert f"127.0.0.1:{APP_PORTS[name]}/readyz" in test
    assert condition("grafana", "prometheus") == "service_healthy"


def test_only_the_gateway_and_monitoring_are_published_and_the_backend_is_internal() -> None:
    document = compose()
    published = {name for name, s in document["services"].items() if s.get("ports")}
    assert published == {"gateway", "prometheus", "grafana"}
    assert document["networks"]["backend"]["internal"] is True
    for name in ("postgres", "kafka", "ingest", "tracker"):
        assert document["services"][name]["networks"] == ["backend"], name
    for name in SERVICE_NAMES:
        service = document["services"][name]
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]


def test_nothing_secret_is_written_down_and_every_variable_is_documented() -> None:
    text = COMPOSE_FILE.read_text()
    documented = dict(
        line.split("=", 1) for line in EXAMPLE_ENV.read_text().splitlines() if line and not line.startswith("#")
    )
    readme = (REPO / "README.md").read_text()
    for name, separator, default in VARIABLE.findall(text):
        assert name in documented, f"{name} is not in deploy/compose/example.env"
        assert f"`{name}`" in readme, f"{name} is not in the README's compose table"
        if separator == ":-":
            assert documented[name] == default, f"{name}: example.env and compose disagree on the default"
    secrets = {name for name in documented if re.search(r"PASSWORD|_KEY$|SECRET", name)}
    assert secrets and all(documented[name] == "" for name in secrets), "example.env holds no secret values"
    for name in secrets:
        for _, separator, _ in [m for m in VARIABLE.findall(text) if m[0] == name]:
            assert separator == ":?", f"{name} must be required (no default), not defaulted"
    for service in compose()["services"].values():
        for key, value in _env(service).items():
            if re.search(r"PASSWORD|_KEY$|SECRET", key):
                assert VARIABLE.fullmatch(value), f"{key} is written down in docker-compose.yml"
            if key.endswith("DATABASE_URL"):
                password = value.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
                assert VARIABLE.fullmatch(password), f"{key} holds a literal password"


def test_prometheus_scrapes_each_service_under_the_job_names_the_rules_use() -> None:
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    jobs = {c["job_name"]: c["static_configs"][0]["targets"] for c in config["scrape_configs"]}
    for name in SERVICE_NAMES:
        assert jobs[f"resolute-{name}"] == [f"{name}:{APP_PORTS[name]}"]
    mounts = compose()["services"]["prometheus"]["volumes"]
    assert "./deploy/prometheus/rules:/etc/prometheus/rules:ro" in mounts
    assert config["rule_files"] == ["rules/*.yml"]
    grafana = compose()["services"]["grafana"]["volumes"]
    provider = yaml.safe_load((DEPLOY / "grafana" / "provisioning" / "dashboards" / "resolute.yml").read_text())
    dashboards_path = provider["providers"][0]["options"]["path"]
    assert f"./deploy/grafana/dashboards:{dashboards_path}:ro" in grafana


def test_the_service_ports_are_the_services_own_defaults() -> None:
    from resolute.gateway.settings import GatewaySettings
    from resolute.ingest.settings import IngestSettings
    from resolute.notifier.settings import NotifierSettings
    from resolute.tracker.settings import TrackerSettings

    defaults = {
        "ingest": IngestSettings.model_fields["port"].default,
        "tracker": TrackerSettings.model_fields["port"].default,
        "notifier": NotifierSettings.model_fields["port"].default,
        "gateway": GatewaySettings.model_fields["port"].default,
    }
    assert defaults == APP_PORTS


# --- the Dockerfile ------------------------------------------------------------------------------------------


def _stages() -> dict[str, list[str]]:
    """Instructions per build stage (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    stages: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", line, re.IGNORECASE)
        if match:
            current = match.group(2)
            stages[current] = [line]
        elif current:
            stages[current].append(line)
    return stages


def test_the_dockerfile_builds_one_slim_non_root_image_per_service() -> None:
    stages = _stages()
    runtime = stages["runtime"]
    assert runtime[0].startswith("FROM ${PYTHON_IMAGE}")
    assert "python:3.11-slim" in DOCKERFILE.read_text()
    user = next(line for line in runtime if line.startswith("USER "))
    assert user.split()[1].split(":")[0] not in {"0", "root"}
    assert any(line.startswith("HEALTHCHECK") and "/readyz" in line for line in runtime)
    assert not any("uv" in line.split() for line in runtime if line.startswith("RUN"))  # no build tools
    for name in SERVICE_NAMES:
        stage = stages[name]
        assert stage[0].split()[1] == "runtime"
        assert f'ENTRYPOINT ["python", "-m", "resolute.{name}"]' in stage
        assert 'CMD ["serve"]' in stage
        assert f"EXPOSE {APP_PORTS[name]}" in stage
        assert f"COPY --from=build-{name} /app /app" in stage
    patterns = [p for p in (REPO / ".dockerignore").read_text().splitlines() if p and not p.startswith("#")]
    assert patterns[0] == "**", "the build context excludes everything it does not list"
    allowed = [p[1:] for p in patterns if p.startswith("!")]
    copied = [
        source
        for stage in stages.values()
        for line in stage
        if line.startswith("COPY ") and "--from" not in line
        for source in line.split()[1:-1]
    ]
    for source in copied:
        assert any(fnmatch.fnmatch(source, p) or fnmatch.fnmatch(source + "/x", p) for p in allowed), source
    assert not any(fnmatch.fnmatch(".venv/x", p) or fnmatch.fnmatch(".git/x", p) for p in allowed)


def _replay_build(name: str, workdir: Path) -> Path:
    """Do what the build stages do: copy what they COPY from the context, then run their `uv sync` commands."""
    stages = _stages()
    app = workdir / "app"
    app.mkdir()
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(app / ".venv"), "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    for line in stages["build"][1:] + stages[f"build-{name}"][1:]:
        if line.startswith("COPY ") and "--from" not in line:
            *sources, destination = line.split()[1:]
            for source in sources:
                target = app / destination / (Path(source).name if destination.endswith("/") else "")
                if destination == "./":
                    target = app / Path(source).name
                if (REPO / source).is_dir():
                    shutil.copytree(REPO / source, target, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(REPO / source, target)
        elif line.startswith("RUN ") and " uv sync " in f" {line} ":
            command = line[line.index("uv sync") :].split()
            command[0] = str(REPO / ".tools" / "bin" / "uv")
            result = subprocess.run(
                [*command, "--python", sys.executable], cwd=app, env=env, capture_output=True, text=True
            )
            assert result.returncode == 0, result.stderr[-2000:]
    return app


@pytest.mark.integration
@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_the_image_install_steps_give_a_service_that_migrates_and_imports(name: str, tmp_path: Path) -> None:
    app = _replay_build(name, tmp_path)
    python = app / ".venv" / "bin" / "python"
    installed = run(
        str(python), "-c", "import importlib.metadata as m; print(sorted(d.name for d in m.distributions()))"
    )
    assert f"resolute-{name}" in installed.stdout and "resolute-shared" in installed.stdout
    others = {f"resolute-{o}" for o in SERVICE_NAMES if o != name} | {"resolute-cli", "pytest", "ruff"}
    assert not [o for o in others if f"'{o}'" in installed.stdout], "the image holds only its own service"
    database = f"sqlite+aiosqlite:///{tmp_path / 'service.db'}"
    env = {
        "PATH": os.environ["PATH"],
        f"RESOLUTE_{name.upper()}_DATABASE_URL": database,
        "RESOLUTE_LOG_FORMAT": "console",
    }
    migrated = subprocess.run(
        [str(python), "-m", f"resolute.{name}", "migrate"], cwd="/", env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    assert (tmp_path / "service.db").stat().st_size > 0
    app_loads = subprocess.run(
        [str(python), "-c", f"from resolute.{name}.main import create_app; create_app()"],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
    )
    assert app_loads.returncode == 0, app_loads.stderr[-2000:]


# --- the PostgreSQL init script ----------------------------------------------------------------------------


@pytest.mark.integration
def test_the_init_script_gives_each_service_its_own_database_and_role(
    compose_databases: dict[str, str], postgres_server: PostgresServer
) -> None:
    compose_urls = {n: _env(compose()["services"][n])[f"RESOLUTE_{n.upper()}_DATABASE_URL"] for n in SERVICE_NAMES}
    for name in SERVICE_NAMES:
        role, database = re.fullmatch(
            r"postgresql\+asyncpg://(\w+):\$\{[^}]+\}@postgres:5432/(\w+)", compose_urls[name]
        ).groups()  # type: ignore[union-attr]
        owner = postgres_server.psql(f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{database}'")
        assert owner.stdout.strip() == role == name
        upgrade_database(REPO / "services" / name / "migrations", compose_databases[name])
        other = next(o for o in SERVICE_NAMES if o != name)
        refused = subprocess.run(
            [
                str(postgres_server.pg_bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(postgres_server.port),
                "-U",
                other,
                "-d",
                database,
                "-c",
                "SELECT 1",
            ],
            capture_output=True,
            text=True,
        )
        assert refused.returncode != 0 and "permission denied" in refused.stderr, f"{other} reached {database}"
