"""The sender's TLS to the address it checked: the certificate is verified against the URL's host name
(sent as SNI), not against the address it connects to."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from commerce.adapters.webhook_delivery import HttpWebhookSender
from commerce.domain.webhooks import TargetPolicy
from tests.http_partner import serving

HOST_NAME = "hooks.test"


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST_NAME)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST_NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


class Answer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    cert_file, key_file = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    with serving(Answer, tls=context) as port:
        yield port, cert_file


def test_https_goes_to_the_checked_address_with_the_certificate_checked_against_the_name(
    tls_receiver: tuple[int, Path],
) -> None:
    port, cert_file = tls_receiver
    trust = ssl.create_default_context(cafile=str(cert_file))
    sender = HttpWebhookSender(
        TargetPolicy(allow_loopback=True), resolver=lambda h, p: ["127.0.0.1"], context=trust
    )

    answer = sender.post(f"https://{HOST_NAME}:{port}/in", {"Content-Type": "application/json"}, "{}")
    assert answer.status_code == 204, answer.excerpt

    wrong_name = sender.post(f"https://other.test:{port}/in", {}, "{}")
    assert wrong_name.status_code is None and "certificate" in wrong_name.excerpt.lower()
