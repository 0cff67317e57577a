"""A real IMAP server for the email-intake tests: Debian's dovecot, run unprivileged on a free
port with a throw-away configuration and one mailbox. Skipped with a message when dovecot is
not installed; with ``CI=true`` its absence fails the run instead."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "frontdoor@example.test"
PASSWORD = "not-a-real-secret"

CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/run/state
log_path = {d}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%u
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 0
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/mail/%u
}}
"""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    if not Path(DOVECOT).exists():
        message = "email intake tests need Debian's dovecot (apt-get install dovecot-imapd)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="haven-dovecot-"))
    port = _free_port()
    (folder / "run" / "state").mkdir(parents=True)
    (folder / "mail").mkdir()
    (folder / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (folder / "dovecot.conf").write_text(CONFIG.format(d=folder, port=port))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder / "mail", "dovecot", "dovecot")
    # dovecot daemonises: its master keeps whatever output it was given, so it gets a file,
    # never a pipe we would wait on.
    with (folder / "startup.log").open("w") as startup_log:
        started = subprocess.run(
            [DOVECOT, "-c", str(folder / "dovecot.conf")],
            stdin=subprocess.DEVNULL,
            stdout=startup_log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if started.returncode != 0 or not _wait_for(port):
        log = "".join(
            (folder / name).read_text()
            for name in ("startup.log", "dovecot.log")
            if (folder / name).exists()
        )
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"dovecot did not start:\n{log}")
    try:
        yield ImapServer("127.0.0.1", port, USER, PASSWORD)
    finally:
        pid_file = folder / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)
