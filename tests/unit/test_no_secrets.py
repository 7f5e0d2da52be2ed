"""No secret is committed: every file git tracks (or would track) is scanned, and so is the built artifact.

The local stack makes its Stripe key and webhook secret at run time (`sk_test_local<hex>`,
`whsec_local<hex>`): their source text is a prefix and a call, never a value, so it does not match.
The planted samples below are assembled at run time for the same reason: this file must pass its own scan.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILT_ARTIFACT = ROOT / ".aws-sam" / "build"
BINARY_SNIFF_BYTES = 8192

# A boundary that base64 and hex runs do not have, so a key-shaped run inside a longer blob (a lock file's
# integrity hash) is not taken for a key.
_EDGE_BEFORE = r"(?<![A-Za-z0-9/+_])"
_EDGE_AFTER = r"(?![A-Za-z0-9/+=])"

# Real Stripe keys and webhook secrets are a prefix and a long alphanumeric run; the local stack's
# placeholders (`sk_test_local…`, `whsec_local…`, `sk_test_replace_me`) are too short to match.
KEY_PATTERNS: dict[str, re.Pattern[str]] = {
    "Stripe secret or restricted key": re.compile(
        _EDGE_BEFORE + r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,}" + _EDGE_AFTER
    ),
    "Stripe webhook signing secret": re.compile(_EDGE_BEFORE + r"whsec_[0-9A-Za-z+/]{24,}" + _EDGE_AFTER),
    # Key ids are base32 (A-Z, 2-7) after the prefix, so a made-up id with a 0 or a 1 in it is not one.
    "AWS access key id": re.compile(_EDGE_BEFORE + r"(?:AKIA|ASIA)[A-Z2-7]{16}" + _EDGE_AFTER),
    "AWS secret access key": re.compile(
        r"aws_?secret_?access_?key\W{0,4}[:=]\s*['\"]?[A-Za-z0-9/+]{40}" + _EDGE_AFTER, re.IGNORECASE
    ),
    "private key block": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
}

# `name = "value"`, `name: value`, `"name": "value"` where the name says secret. Only values that look
# random (long, high entropy, letters and digits) count, and never a placeholder or a template.
SECRET_ASSIGNMENT = re.compile(
    r"""(?P<name>[A-Za-z0-9_-]*(?:password|passwd|secret|api_?key|access_?key|private_?key|auth_?token)"""
    r"""[A-Za-z0-9_-]*)["']?\s*[:=]\s*(?P<quote>["']?)(?P<value>[^\s"'`,;)}\]]{20,})(?P=quote)""",
    re.IGNORECASE,
)
PLACEHOLDER_WORDS = ("example", "replace", "local", "dummy", "fake", "sample", "placeholder", "changeme")
# A reference to a secret (an ARN, a URL) or words joined by dashes (`bench-secret-key-not-used`) is not one.
NOT_A_VALUE = re.compile(r"^arn:|://|[a-z]{3,}[-_.][a-z]{3,}[-_.][a-z]{3,}", re.IGNORECASE)
MIN_ENTROPY_BITS_PER_CHAR = 3.7


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    kind: str

    def __str__(self) -> str:
        # The value is never printed: a real secret would land in CI's log.
        return f"{self.where}:{self.line}: {self.kind}"


def shannon_entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(value: str) -> bool:
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS) or any(c in value for c in "${}<>()[]"):
        return False
    if NOT_A_VALUE.search(value):
        return False
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    )
    return classes >= 2 and shannon_entropy(value) >= MIN_ENTROPY_BITS_PER_CHAR


def find_secrets(text: str, where: str = "<text>") -> list[Finding]:
    """Every line of `text` that holds something shaped like a credential."""
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        known = [
            Finding(where, number, kind) for kind, pattern in KEY_PATTERNS.items() if pattern.search(line)
        ]
        findings += known
        # One finding a line is enough: a Stripe key assigned to STRIPE_KEY is a Stripe key.
        for match in [] if known else SECRET_ASSIGNMENT.finditer(line):
            if looks_random(match["value"]):
                findings.append(Finding(where, number, f"high-entropy value assigned to {match['name']}"))
    return findings


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def scan(paths: Iterable[Path], root: Path) -> Iterator[Finding]:
    for path in paths:
        if path.is_file() and not path.is_symlink() and (text := read_text(path)) is not None:
            yield from find_secrets(text, str(path.relative_to(root)))


def own_files_of_artifact(artifact: Path) -> list[Path]:
    """The artifact's files less those of third-party distributions (listed in their dist-info RECORD).

    Third-party packages ship documentation examples (botocore's `AKIA...EXAMPLE` keys, sample private
    keys) that are theirs, not ours; what we put in the artifact (functions, the commerce package, any
    stray file) is scanned whole.
    """
    third_party: set[Path] = set()
    for record in artifact.rglob("*.dist-info/RECORD"):
        site = record.parent.parent
        third_party.update(
            (site / line.split(",", 1)[0]).resolve() for line in record.read_text().splitlines() if line
        )
    return [p for p in artifact.rglob("*") if p.is_file() and p.resolve() not in third_party]


def files_git_would_commit() -> list[Path]:
    """Tracked files, and untracked ones that .gitignore does not exclude (the next commit's candidates)."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git work tree: nothing tells which files are committed")
    listed = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name]


def _sample(prefix: str, length: int = 32) -> str:
    """A random-looking credential, built here so that the source of this file holds none."""
    alphabet = "aZ3kQ9xLm2PvR7tYb4NcW8sHd5Jf6Gg1"
    return prefix + "".join(alphabet[(i * 7 + 3) % len(alphabet)] for i in range(length))


PLANTED = [
    pytest.param(f'STRIPE_KEY = "{_sample("sk_" + "live_")}"', "Stripe secret", id="stripe-live-key"),
    pytest.param(f"api_key: {_sample('rk_' + 'live_', 40)}", "Stripe secret", id="stripe-restricted-key"),
    pytest.param(f'{{"webhook_secret": "{_sample("wh" + "sec_")}"}}', "webhook", id="webhook-secret"),
    pytest.param(f"aws_access_key_id = {'AK' + 'IA'}{'Q7' * 8}", "AWS access key id", id="aws-key-id"),
    pytest.param(
        f"aws_secret_access_key = {_sample('', 40).replace('Z', '/')}", "AWS secret", id="aws-secret-key"
    ),
    pytest.param(f"-----BEGIN {'RSA '}PRIVATE {'KEY'}-----", "private key", id="rsa-private-key"),
    pytest.param(f"-----BEGIN {'OPENSSH '}PRIVATE {'KEY'}-----", "private key", id="openssh-private-key"),
    pytest.param(f"-----BEGIN PRIVATE {'KEY'}-----", "private key", id="pkcs8-private-key"),
    pytest.param(f'db_password = "{_sample("", 24)}"', "high-entropy", id="password-assignment"),
    pytest.param(f'"client_secret": "{_sample("", 28)}"', "high-entropy", id="json-secret"),
]

HARMLESS = [
    pytest.param('api_key=f"sk_test_local{secrets.token_hex(12)}"', id="local-stack-key-generator"),
    pytest.param('webhook_secret=f"whsec_local{secrets.token_hex(16)}"', id="local-stack-secret-generator"),
    pytest.param('SecretStringTemplate: \'{"api_key": "sk_test_replace_me"}\'', id="template-placeholder"),
    pytest.param('{"api_key": "sk_...", "webhook_secret": "whsec_..."}', id="documented-shape"),
    pytest.param('SECRET = "whsec_unit"', id="unit-test-secret"),
    pytest.param('DEMO_STRIPE_KEY = "sk_test_local_demo"', id="demo-key"),
    pytest.param("AKIAIOSFODNN7EXAMPL", id="too-short-key-id"),
    pytest.param('"AWS_ACCESS_KEY_ID": "ASIABENCHBENCHBENCH0"', id="made-up-key-id-not-base32"),
    pytest.param('"AWS_SECRET_ACCESS_KEY": "bench-secret-key-not-used-for-any-call-0000"', id="words"),
    pytest.param('"integrity": "sha512-xAKIAQ7Q7Q7Q7Q7Q7Q7Q7Q7Qx+f9w=="', id="key-shape-inside-a-hash"),
    pytest.param("-----BEGIN PUBLIC KEY-----", id="public-key"),
    pytest.param('password = "correct horse battery staple"', id="password-with-spaces-is-prose"),
    pytest.param('secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor"', id="arn"),
    pytest.param("STRIPE_SECRET_ARN: !Ref StripeSecret", id="template-ref"),
    pytest.param('password = "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"', id="low-entropy-value"),
    pytest.param("webhook_secret = os.environ['WEBHOOK_SECRET_FROM_SECRETS_MANAGER']", id="read-from-env"),
    pytest.param(f'api_key = "{_sample("", 24)}_example"', id="example-value"),
]


@pytest.mark.parametrize(("line", "kind"), PLANTED)
def test_a_planted_secret_is_found(line: str, kind: str) -> None:
    findings = find_secrets(f"first line\n{line}\nlast line", "planted.py")
    assert findings, f"not found: {kind}"
    assert all(f.line == 2 for f in findings)
    assert any(kind.lower() in f.kind.lower() for f in findings)


@pytest.mark.parametrize("line", HARMLESS)
def test_a_placeholder_or_a_reference_is_not_a_secret(line: str) -> None:
    assert find_secrets(line) == []


def test_a_finding_names_the_place_but_never_the_value() -> None:
    secret = _sample("sk_" + "live_")
    (finding,) = find_secrets(f'key = "{secret}"', "config.py")
    assert str(finding) == "config.py:1: Stripe secret or restricted key"
    assert secret not in str(finding)


def test_a_planted_file_fails_the_scan_and_a_binary_file_is_skipped(tmp_path: Path) -> None:
    planted = tmp_path / "settings.env"
    planted.write_text(f"STRIPE_API_KEY={_sample('sk_' + 'live_')}\n", encoding="utf-8")
    binary = tmp_path / "logo.png"
    binary.write_bytes(b"\x89PNG\0\0" + _sample("sk_" + "live_").encode())
    assert [str(f) for f in scan([planted, binary], tmp_path)] == [
        "settings.env:1: Stripe secret or restricted key"
    ]


def test_no_file_git_would_commit_holds_a_secret() -> None:
    files = files_git_would_commit()
    assert ROOT / "template.yaml" in files
    findings = [str(f) for f in scan(files, ROOT)]
    assert findings == [], "secrets in the repository (move them to Secrets Manager):\n" + "\n".join(findings)


@pytest.mark.skipif(not BUILT_ARTIFACT.is_dir(), reason="no .aws-sam/build here (make build makes one)")
def test_the_built_artifact_holds_no_secret() -> None:
    own = own_files_of_artifact(BUILT_ARTIFACT)
    assert any(p.name == "app.py" for p in own)
    findings = [str(f) for f in scan(own, ROOT)]
    assert findings == [], "secrets in the built artifact:\n" + "\n".join(findings)
