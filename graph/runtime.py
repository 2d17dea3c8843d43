"""The local Neo4j: Community Edition's jars from Maven Central, run in a JVM of its own.

With no NEO4J_URI, Peermap starts this server by itself. The jars are fetched once into a
cache outside the repository; the data, configuration, logs and pid file live in a data
folder of the caller's choosing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired, TransientError

NEO4J_VERSION = "5.26.30"

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>peermap</groupId>
  <artifactId>neo4j-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""

# The flags Neo4j's own launcher passes to the JVM on Java 17.
_JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=262144",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]

_MISSING_TOOLS = (
    "Peermap runs its own Neo4j with Java 17+ and Maven, and {missing} could not be found.\n"
    "Three ways forward:\n"
    "  1. install them (Debian: apt-get install openjdk-17-jre-headless maven),\n"
    "  2. set NEO4J_URI (with NEO4J_USER and NEO4J_PASSWORD) to a Neo4j 5.26 you run yourself,\n"
    "  3. or run `docker compose up`, which starts Neo4j and Peermap together."
)


class RuntimeProblem(Exception):
    """The local Neo4j could not be fetched, started or stopped; the message says why."""


@dataclass(frozen=True, kw_only=True)
class LocalNeo4j:
    data_dir: Path
    cache_dir: Path
    bolt_port: int = 7687
    heap: str = "4g"
    page_cache: str = "1g"
    version: str = NEO4J_VERSION

    @property
    def home(self) -> Path:
        return self.data_dir / "neo4j"

    @property
    def lib_dir(self) -> Path:
        return self.cache_dir / f"neo4j-{self.version}" / "lib"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    @property
    def _console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def _pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def _password_file(self) -> Path:
        return self.home / "password"

    def is_fetched(self) -> bool:
        return (self.lib_dir.parent / "complete").exists()

    def fetch(self, say: Callable[[str], None] = print) -> None:
        """Download Neo4j Community and its dependencies with Maven, once."""
        if self.is_fetched():
            return
        _require_tools("mvn")
        target = self.lib_dir.parent
        target.mkdir(parents=True, exist_ok=True)
        (target / "pom.xml").write_text(_POM.format(version=self.version))
        say(f"Fetching Neo4j Community {self.version} from Maven Central into {target} (once; about 120 MB)...")
        result = subprocess.run(
            [
                "mvn",
                "-B",
                "-q",
                "-f",
                str(target / "pom.xml"),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={self.lib_dir}",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
            raise RuntimeProblem(f"Maven could not fetch Neo4j {self.version}:\n{tail}")
        (target / "complete").write_text(self.version)
        say("Fetched.")

    def password(self, wanted: str | None = None) -> str:
        """The neo4j user's password: the one asked for, else the one generated at first start."""
        if wanted:
            return wanted
        if self._password_file.exists():
            return self._password_file.read_text().strip()
        return ""

    def pid(self) -> int | None:
        try:
            pid = int(self._pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _process_alive(pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None and _port_answers(self.bolt_port)

    def start(self, *, password: str | None = None, timeout: float = 180.0, say: Callable[[str], None] = print) -> str:
        """Start the server if it is not running; return the neo4j user's password."""
        if self.pid() is not None:
            say(f"Neo4j is already running at {self.uri} (pid {self.pid()}).")
            self._wait_for_bolt(timeout)
            self._wait_for_queries(self.password(password), timeout)
            return self.password(password)
        _require_tools("java", "mvn")
        self.fetch(say)
        if _port_answers(self.bolt_port):
            raise RuntimeProblem(
                f"Port {self.bolt_port} is taken by another program; set PEERMAP_NEO4J_BOLT_PORT to a free port."
            )
        password = self._first_start_password(password)
        self._write_config()
        say(f"Starting Neo4j {self.version} at {self.uri} (data in {self.home})...")
        self._console_log.parent.mkdir(parents=True, exist_ok=True)
        self._pid_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self._console_log, "ab") as console:
            process = subprocess.Popen(
                [
                    "java",
                    "-Xms512m",
                    f"-Xmx{self.heap}",
                    *_JVM_FLAGS,
                    "-cp",
                    f"{self.lib_dir}/*",
                    "org.neo4j.server.CommunityEntryPoint",
                    f"--home-dir={self.home}",
                    f"--config-dir={self.home / 'conf'}",
                ],
                stdout=console,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # outlives the command that started it
            )
        self._pid_file.write_text(str(process.pid))
        try:
            self._wait_for_bolt(timeout, process)
            self._wait_for_queries(password, timeout)
        except RuntimeProblem:
            _terminate(process.pid, grace=10)
            self._pid_file.unlink(missing_ok=True)
            raise
        say(f"Neo4j is up at {self.uri}.")
        return password

    def stop(self, *, timeout: float = 60.0, say: Callable[[str], None] = print) -> None:
        pid = self.pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            say("Neo4j is not running.")
            return
        say(f"Stopping Neo4j (pid {pid})...")
        _terminate(pid, grace=timeout)
        self._pid_file.unlink(missing_ok=True)
        say("Neo4j stopped.")

    def status(self) -> str:
        pid = self.pid()
        if pid is None:
            return f"Neo4j {self.version} is not running (data in {self.home})."
        state = "answering" if _port_answers(self.bolt_port) else "starting, Bolt not answering yet"
        return f"Neo4j {self.version} is running at {self.uri} (pid {pid}, {state}; data in {self.home})."

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for log in (self._console_log, self.log_file):
            if log.exists():
                text += "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text.strip()

    def _first_start_password(self, wanted: str | None) -> str:
        """Auth is always on: on the very first start, set the initial password.

        With no password given, one is generated and kept, readable by this user only, in the
        data folder, so that the local Neo4j never runs with a known default.
        """
        if (self.home / "data" / "dbms" / "auth.ini").exists() or (self.home / "data" / "dbms" / "auth").exists():
            return self.password(wanted)
        password = wanted or "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
        self._write_config()
        result = subprocess.run(
            [
                "java",
                "-cp",
                f"{self.lib_dir}/*",
                "org.neo4j.cli.AdminTool",
                "dbms",
                "set-initial-password",
                "--",
                password,
            ],  # "--": a password may start with "-"
            capture_output=True,
            text=True,
            env={**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")},
        )
        if result.returncode != 0:
            raise RuntimeProblem(f"Could not set Neo4j's initial password:\n{result.stdout}{result.stderr}")
        if not wanted:
            self._password_file.write_text(password)
            self._password_file.chmod(0o600)
        return password

    def _write_config(self) -> None:
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").write_text(
            "\n".join(
                [
                    "server.default_listen_address=127.0.0.1",
                    f"server.bolt.listen_address=127.0.0.1:{self.bolt_port}",
                    f"server.bolt.advertised_address=127.0.0.1:{self.bolt_port}",
                    "server.http.enabled=false",
                    "server.https.enabled=false",
                    f"server.directories.data={self.home / 'data'}",
                    f"server.directories.logs={self.home / 'logs'}",
                    f"server.directories.run={self.home / 'run'}",
                    f"server.directories.import={self.home / 'import'}",
                    f"server.memory.pagecache.size={self.page_cache}",
                    "dbms.security.auth_enabled=true",
                    "dbms.usage_report.enabled=false",
                    "",
                ]
            )
        )

    def _wait_for_queries(self, password: str, timeout: float) -> None:
        """Bolt accepts connections a moment before the database serves queries: wait for that too."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        with GraphDatabase.driver(self.uri, auth=("neo4j", password), connection_timeout=5.0) as driver:
            while time.monotonic() < deadline:
                try:
                    driver.execute_query("RETURN 1")
                    return
                except (ServiceUnavailable, SessionExpired, TransientError, DatabaseUnavailable, OSError) as error:
                    last_error = error
                    time.sleep(0.5)
        raise RuntimeProblem(
            f"Neo4j did not answer a query within {timeout:.0f} s ({last_error}). "
            f"The end of its log:\n{self.log_tail()}"
        )

    def _wait_for_bolt(self, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _port_answers(self.bolt_port):
                return
            if process is not None and process.poll() is not None:
                raise RuntimeProblem(
                    f"Neo4j exited with code {process.returncode} before Bolt answered. "
                    f"The end of its log:\n{self.log_tail()}"
                )
            time.sleep(0.5)
        raise RuntimeProblem(
            f"Neo4j's Bolt port {self.bolt_port} did not answer within {timeout:.0f} s. "
            f"The end of its log:\n{self.log_tail()}"
        )


def _require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        raise RuntimeProblem(_MISSING_TOOLS.format(missing=" and ".join(missing)))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has exited; only its parent has not reaped it yet
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _port_answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _terminate(pid: int, *, grace: float) -> None:
    """SIGTERM lets Neo4j check-point and close its store; SIGKILL only if it will not."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _process_alive(pid):
            _reap(pid)
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
