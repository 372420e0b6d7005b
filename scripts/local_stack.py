"""The deployed shape on one machine: gunicorn instances on one database (and one Redis) behind
nginx running deploy/nginx/policytracker.conf, all on loopback, for tests and the load test.

    with local_stack(env, instances=2) as stack:
        stack.proxy            # http://127.0.0.1:<port>, nginx
        stack.instances        # [http://127.0.0.1:<port>, ...], each gunicorn directly

`env` is the app's environment (production settings: DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL; see `production_env`); the database must be migrated (`prepare`). nginx gets a
throwaway prefix with a generated nginx.conf that includes a copy of policytracker.conf
(listening on a free loopback port, caching into the prefix) and a generated
policytracker-upstreams.conf naming the instances. Everything is stopped and removed when the
block exits. Standard library only.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
NGINX_CONF = ROOT / "deploy" / "nginx" / "policytracker.conf"
GUNICORN_CONF = "python:policytracker.gunicorn_conf"
# What the local copy of policytracker.conf changes: where it listens and caches.
LISTEN_LINE = "listen 80;"
CACHE_DIR = "/var/cache/nginx/policytracker"


def free_port() -> int:
    """A port the kernel considers free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET; status 0 when nothing answers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, OSError):
        return 0, {}, b""


def nginx_binary() -> str | None:
    """nginx from PATH or Debian's /usr/sbin, or None when it is not installed."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def gunicorn_binary() -> str:
    """The gunicorn beside the running interpreter, else the checkout's virtualenv."""
    beside = Path(sys.executable).with_name("gunicorn")
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "gunicorn")


def production_env(database_url: str | None = None, **overrides: str) -> dict[str, str]:
    """Production settings for loopback: DEBUG=0, a fresh SECRET_KEY, plain HTTP, one proxy in
    front (NUM_PROXIES=1) and limits raised out of the way; DATABASE_URL passes through."""
    alphabet = string.ascii_letters + string.digits
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "NUM_PROXIES": "1",
        "THROTTLE_ANON_RATE": "1000000/minute",
        "THROTTLE_USER_RATE": "1000000/minute",
        "PYTHONUNBUFFERED": "1",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return {**env, **overrides}


def prepare(env: dict[str, str], *, collectstatic: bool = False) -> None:
    """Migrate and load the seed (and collect static files, which the admin and docs need)."""
    commands = [["migrate", "--noinput"], ["load_seed"]]
    if collectstatic:
        commands.append(["collectstatic", "--noinput"])
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Instance:
    url: str
    port: int
    log: Path
    process: subprocess.Popen


@contextlib.contextmanager
def gunicorn_instance(
    env: dict[str, str], log: Path, *, workers: int = 1, ready_timeout: float = 90
) -> Iterator[Instance]:
    """gunicorn with policytracker/gunicorn_conf.py on a free loopback port, its output in
    `log`; yields once /readyz answers 200."""
    port = free_port()
    command = [gunicorn_binary(), "policytracker.wsgi", "-c", GUNICORN_CONF]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    instance = Instance(f"http://{HOST}:{port}", port, log, process)
    try:
        deadline = time.monotonic() + ready_timeout
        while http_get(f"{instance.url}/readyz", timeout=2)[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn on port {port} did not get ready:\n{_tail(log)}")
            time.sleep(0.2)
        yield instance
    finally:
        _stop(process)


def nginx_main_config(prefix: Path, port: int, upstreams: list[str]) -> Path:
    """Write nginx.conf, the local copy of policytracker.conf and policytracker-upstreams.conf
    into `prefix`; returns the path of nginx.conf."""
    site = NGINX_CONF.read_text()
    for old, new in ((LISTEN_LINE, f"listen {HOST}:{port};"), (CACHE_DIR, str(prefix / "cache"))):
        if site.count(old) != 1:
            raise RuntimeError(f"{NGINX_CONF} should contain {old!r} exactly once")
        site = site.replace(old, new)
    (prefix / "policytracker.conf").write_text(site)
    (prefix / "policytracker-upstreams.conf").write_text(
        "".join(f"server {upstream};\n" for upstream in upstreams)
    )
    temp = prefix / "temp"
    temp.mkdir(exist_ok=True)
    # Debian's nginx would use /var/lib/nginx/ for request bodies and buffered responses.
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    paths = "\n".join(f"    {kind}_temp_path {temp / kind};" for kind in kinds)
    # As root the workers would otherwise run as nobody, who cannot write to the prefix.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = prefix / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\n"
        "daemon off;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    default_type application/octet-stream;\n"
        "    access_log off;\n"
        f"{paths}\n"
        f"    include {prefix / 'policytracker.conf'};\n"
        "}\n"
    )
    return main


@dataclass
class Proxy:
    url: str
    port: int
    prefix: Path
    process: subprocess.Popen


@contextlib.contextmanager
def nginx_proxy(upstreams: list[str], *, ready_timeout: float = 20) -> Iterator[Proxy]:
    """nginx with deploy/nginx/policytracker.conf in front of `upstreams` ("host:port"), on a
    free loopback port; its access log (JSON lines) is `<prefix>/access.log`."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed")
    prefix = Path(tempfile.mkdtemp(prefix="pt-nginx-"))
    port = free_port()
    try:
        main = nginx_main_config(prefix, port, upstreams)
        error_log = prefix / "error.log"
        command = [nginx, "-p", f"{prefix}/", "-c", str(main), "-e", str(error_log)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
        with open(prefix / "access.log", "ab") as access:
            process = subprocess.Popen(command, stdout=access, stderr=subprocess.STDOUT)
        proxy = Proxy(f"http://{HOST}:{port}", port, prefix, process)
        try:
            deadline = time.monotonic() + ready_timeout
            while True:
                with contextlib.suppress(OSError), socket.create_connection((HOST, port), 1):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start:\n{_tail(error_log)}")
                time.sleep(0.05)
            yield proxy
        finally:
            _stop(process)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


@dataclass
class Stack:
    instances: list[str]
    proxy: str | None
    logs: list[Path] = field(default_factory=list)
    # nginx's access log (JSON lines), while the stack runs.
    proxy_log: Path | None = None


@contextlib.contextmanager
def local_stack(
    env: dict[str, str], *, instances: int = 2, workers: int = 1, proxy: bool = True
) -> Iterator[Stack]:
    """`instances` gunicorn servers with `env` (one database, one REDIS_URL if set), and nginx
    in front of them unless `proxy` is false."""
    logs = Path(tempfile.mkdtemp(prefix="pt-stack-"))
    try:
        with contextlib.ExitStack() as running:
            servers = [
                running.enter_context(
                    gunicorn_instance(env, logs / f"gunicorn-{number}.log", workers=workers)
                )
                for number in range(1, instances + 1)
            ]
            front = None
            if proxy:
                upstreams = [f"{HOST}:{server.port}" for server in servers]
                front = running.enter_context(nginx_proxy(upstreams))
            yield Stack(
                [server.url for server in servers],
                front.url if front else None,
                [server.log for server in servers],
                front.prefix / "access.log" if front else None,
            )
    finally:
        shutil.rmtree(logs, ignore_errors=True)


@contextlib.contextmanager
def private_redis() -> Iterator[tuple[int, subprocess.Popen]]:
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), 1):
                break
            time.sleep(0.05)
        yield port, process
    finally:
        _stop(process, signal.SIGKILL, timeout=10)
