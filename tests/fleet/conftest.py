"""The fleet on this machine (deploy/fleet.sh): real PostgreSQL, Redis, HAProxy and two
`clearpath serve` replicas, on free ports, in a temporary directory. Every process it starts
is stopped at the end, also when a test fails (`down`, then whatever pid file is left)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLEET = ROOT / "deploy" / "fleet.sh"
ORIGIN = "http://127.0.0.1:9"
QUOTA = 12  # the shared partner's daily quota
OPERATOR_TOKEN = "fleet-operator-" + "x7Qp2Lk9Vb4Nz8Rt3Wm6Yc1Hd5Jf0Gs"


def free_ports(count: int, consecutive: int = 1) -> list[int]:
    """`count` free ports; the first is followed by `consecutive - 1` free ones."""
    found: list[int] = []
    while not found:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        if base + consecutive < 65000 and all(_free(base + i) for i in range(consecutive)):
            found.append(base)
    while len(found) < count:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if all(abs(port - p) > consecutive for p in found):
            found.append(port)
    return found


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Fleet:
    dir: Path
    env: dict[str, str]
    proxy: str
    replicas: list[str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(FLEET), *args], env=self.env, text=True, capture_output=True,
                              timeout=300, check=True)

    def settings(self) -> dict[str, str]:
        """The CLEARPATH_* settings the replicas run with (`fleet.sh env`)."""
        lines = self.run("env").stdout.splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def logs(self, name: str) -> str:
        return (self.dir / f"{name}.log").read_text(errors="replace")


def _partners(folder: Path) -> Path:
    path = folder / "partners.toml"
    path.write_text(f"""
[[partner]]
id = "shared-quota"
name = "One quota for every replica"
allowed_origins = ["{ORIGIN}"]
rate_limit = "1000/minute"
daily_quota = {QUOTA}
client_daily_quota = 1000

[[partner]]
id = "counted"
name = "Counts in PostgreSQL"
allowed_origins = ["{ORIGIN}"]
rate_limit = "1000/minute"
daily_quota = 1000
client_daily_quota = 1000
""")
    return path


def _leftovers(folder: Path) -> None:
    """Kill any process a pid file still names (after `down`, normally none)."""
    for pidfile in folder.glob("*.pid"):
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError):
            pass
    pg = folder / "postgres" / "postmaster.pid"
    if pg.exists():
        try:
            os.kill(int(pg.read_text().split()[0]), signal.SIGKILL)
        except (ValueError, IndexError, ProcessLookupError, PermissionError):
            pass


@pytest.fixture(scope="module")
def fleet() -> Iterator[Fleet]:
    missing = [tool for tool in ("haproxy", "redis-server") if not shutil.which(tool)]
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        missing.append("postgresql")
    assert not missing, (f"the fleet tests need Debian's {', '.join(missing)}: "
                         "`make services` (or .ci/run) installs them")
    # Not under pytest's own 0700 temporary tree: PostgreSQL runs as another user when root.
    folder = Path(tempfile.mkdtemp(prefix="clearpath-fleet-test-"))
    proxy, pg, redis = free_ports(3, consecutive=3)
    env = {**os.environ, "FLEET_DIR": str(folder), "FLEET_PROXY_PORT": str(proxy),
           "FLEET_PG_PORT": str(pg), "FLEET_REDIS_PORT": str(redis), "FLEET_REPLICAS": "2",
           "HF_HUB_OFFLINE": "1",
           "CLEARPATH_PARTNERS_FILE": str(_partners(folder)),
           "CLEARPATH_OPERATOR_TOKEN": OPERATOR_TOKEN,
           # Load through one address: per-address limits high, partner quotas still counted.
           "CLEARPATH_RATE_LIMIT": "100000/minute", "CLEARPATH_CRISIS_RATE_LIMIT": "100000/minute"}
    for name in ("CLEARPATH_DATABASE_URL", "CLEARPATH_REDIS_URL", "CLEARPATH_SECRET_KEY"):
        env.pop(name, None)
    started = Fleet(folder, env, f"http://127.0.0.1:{proxy}",
                    [f"http://127.0.0.1:{proxy + 1}", f"http://127.0.0.1:{proxy + 2}"])
    try:
        up = subprocess.run([str(FLEET), "up"], env=env, text=True, capture_output=True,
                            timeout=900)
        assert up.returncode == 0, f"fleet.sh up failed:\n{up.stderr[-3000:]}"
        yield started
    finally:
        subprocess.run([str(FLEET), "down"], env=env, capture_output=True, timeout=180)
        _leftovers(folder)
        shutil.rmtree(folder, ignore_errors=True)
