"""No secret is committed: no SECRET_KEY value, private key, token or password
URL in any tracked file. Test fixtures use obvious fakes, listed below."""

import re
import subprocess
from pathlib import Path

import pytest

# Scans the tracked files: no engine involved.
pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]

PATTERNS = {
    "private key": re.compile(
        r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"
    ),
    # SECRET_KEY=<20+ characters of something that is not an obvious placeholder>
    "SECRET_KEY value": re.compile(
        r"""SECRET_KEY\s*[=:]\s*["']?(?!change-me|\$|<|test-|\{)[A-Za-z0-9_\-!@#%^&*()+=]{20,}"""
    ),
    "password in a URL": re.compile(
        r"\b(?:postgres|postgresql|mysql|redis|amqp|imaps?|smtp)://[^:/\s@]+:"
        r"(?!postgres@|pass@|password@|secret@|change-me@|\*)[^@\s/]{6,}@"
    ),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),
}
# Test files may hold a clearly fake key built at run time; they are scanned too,
# and these lines are the reviewed exceptions (path, pattern name).
ALLOWED = {
    # This file's own examples of what the scan must recognise.
    *(("tests/qms/test_repository_secrets.py", name) for name in PATTERNS),
    # A made-up mailbox password in the e-mail intake URL parser's test.
    ("tests/complaints/test_email_intake.py", "password in a URL"),
}


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_no_secret_in_tracked_files():
    found = []
    for path in _tracked_files():
        if not path.is_file() or path.suffix in {".mo", ".png", ".jpg", ".pdf"}:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        relative = str(path.relative_to(ROOT))
        for name, pattern in PATTERNS.items():
            if (relative, name) in ALLOWED:
                continue
            found += [
                f"{relative}: {name}: {m.group(0)[:40]}…"
                for m in pattern.finditer(text)
            ]
    assert not found, "secrets in the repository:\n" + "\n".join(found)


def test_local_env_files_are_ignored_by_git():
    ignored = subprocess.run(
        ["git", "check-ignore", ".env", "var/dev-secret-key"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert ignored == [".env", "var/dev-secret-key"]


@pytest.mark.parametrize(
    "line",
    [
        "SECRET_KEY=dev-FfetsPXJBHz8FEYjIWauuRsFjMIATbWZ",
        "-----BEGIN RSA PRIVATE KEY-----",
        "DATABASE_URL=postgres://qms:s3cretPassw0rd@db/qms",
    ],
)
def test_the_scan_recognises_secrets(line):
    assert any(pattern.search(line) for pattern in PATTERNS.values())
