"""A local S3-compatible server for the storage tests: moto in server mode, in a thread of
the test process, on a free port of 127.0.0.1; the directory backend in tmp_path."""
from __future__ import annotations

import functools
import socket
import uuid

import boto3
import pytest

from dashboard import settings
from dashboard.stockage.repertoire import StockageRepertoire
from dashboard.stockage.s3 import StockageS3

REGION = "us-east-1"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serveur_s3():
    """The endpoint URL of a moto S3 server, with test keys in the environment (and no other
    source of credentials: no ~/.aws, no instance metadata)."""
    from moto.server import ThreadedMotoServer

    port = port_libre()
    serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    serveur.start()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "cle-d-essai")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "secret-d-essai")
        mp.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(name, raising=False)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            serveur.stop()


@functools.lru_cache(maxsize=2)
def client_brut(endpoint: str):
    """A plain boto3 client, to look at the server from outside the code under test."""
    return boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=REGION)


@pytest.fixture
def bucket(serveur_s3) -> str:
    nom = f"photos-{uuid.uuid4().hex[:12]}"
    client_brut(serveur_s3).create_bucket(Bucket=nom)
    return nom


@pytest.fixture
def stockage_s3(serveur_s3, bucket) -> StockageS3:
    return StockageS3(settings.StockageS3(bucket=bucket, prefixe="recensements/", endpoint=serveur_s3,
                                          region=REGION))


@pytest.fixture
def stockage_repertoire(tmp_path) -> StockageRepertoire:
    return StockageRepertoire(tmp_path / "photos")


@pytest.fixture(params=["repertoire", "s3"])
def stockage(request):
    return request.getfixturevalue(f"stockage_{request.param}")
