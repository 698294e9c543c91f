"""S3-compatible object storage (OBJETS_PHOTOS=s3://bucket/prefix; OBJETS_S3_ENDPOINT for
anything but AWS: Scaleway, OVHcloud, Garage, MinIO…; keys from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY, read by boto3). Every replica of the app sees the same objects."""
from __future__ import annotations

import threading
from datetime import datetime
from functools import lru_cache
from typing import Iterator

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from dashboard import settings
from dashboard.stockage.base import ObjetIntrouvable, StockageIndisponible, verifier_cle

ABSENT = {"NoSuchKey", "404", "NotFound"}
_VERROU = threading.Lock()


@lru_cache(maxsize=1)
def _chargeur() -> botocore.loaders.Loader:
    """The reader of botocore's service descriptions, shared: it keeps the S3 one once
    loaded (a second or so), while each storage resolves its own credentials."""
    return botocore.loaders.create_loader()


def _session() -> boto3.session.Session:
    # Not boto3's default session, which anything in the process may reconfigure.
    session = botocore.session.Session()
    session.register_component("data_loader", _chargeur())
    return boto3.session.Session(botocore_session=session)


class StockageS3:
    def __init__(self, reglage: settings.StockageS3):
        self.reglage = reglage
        options = {"connect_timeout": 5, "read_timeout": 30,
                   "retries": {"max_attempts": 3, "mode": "standard"}, "signature_version": "s3v4"}
        if reglage.endpoint:
            # Other providers than AWS: bucket in the path (no wildcard DNS needed), and
            # checksums only where S3 itself requires them (several providers reject the
            # CRC32 headers boto3 adds by default since 1.36).
            options.update(s3={"addressing_style": "path"}, request_checksum_calculation="when_required",
                           response_checksum_validation="when_required")
        with _VERROU:                  # a boto3 session makes clients for one thread at a time
            self.client = _session().client("s3", endpoint_url=reglage.endpoint, region_name=reglage.region,
                                            config=Config(**options))

    def __repr__(self) -> str:
        return f"StockageS3(s3://{self.reglage.bucket}/{self.reglage.prefixe})"

    def _cle(self, cle: str) -> str:
        return self.reglage.prefixe + verifier_cle(cle)

    def _echec(self, action: str, exc: Exception) -> StockageIndisponible:
        if isinstance(exc, NoCredentialsError):
            raison = "identifiants absents : AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY"
        elif isinstance(exc, ClientError):
            raison = f"le service a répondu {exc.response.get('Error', {}).get('Code', 'une erreur')}"
        else:
            raison = "le service ne répond pas"
        return StockageIndisponible(f"Les photos n'ont pas pu être {action} dans le stockage objet "
                                    f"(bucket {self.reglage.bucket}) : {raison}. Réessayez dans un moment.")

    def ecrire(self, cle: str, contenu: bytes, type_mime: str) -> None:
        try:
            self.client.put_object(Bucket=self.reglage.bucket, Key=self._cle(cle), Body=contenu,
                                   ContentType=type_mime)
        except (BotoCoreError, ClientError) as exc:
            raise self._echec("enregistrées", exc) from exc

    def lire(self, cle: str) -> bytes:
        try:
            reponse = self.client.get_object(Bucket=self.reglage.bucket, Key=self._cle(cle))
            with reponse["Body"] as corps:
                return corps.read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ABSENT:
                raise ObjetIntrouvable(cle) from None
            raise self._echec("lues", exc) from exc
        except BotoCoreError as exc:
            raise self._echec("lues", exc) from exc

    def supprimer(self, cle: str) -> None:
        try:
            self.client.delete_object(Bucket=self.reglage.bucket, Key=self._cle(cle))
        except (BotoCoreError, ClientError) as exc:
            raise self._echec("supprimées", exc) from exc

    def existe(self, cle: str) -> bool:
        try:
            self.client.head_object(Bucket=self.reglage.bucket, Key=self._cle(cle))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ABSENT:
                return False
            raise self._echec("lues", exc) from exc
        except BotoCoreError as exc:
            raise self._echec("lues", exc) from exc

    def lister(self, prefixe: str, avant: datetime | None = None) -> Iterator[str]:
        debut = self.reglage.prefixe + prefixe.lstrip("/")
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.reglage.bucket, Prefix=debut)
            for page in pages:
                for objet in page.get("Contents", ()):
                    if avant is None or objet["LastModified"] < avant:
                        yield objet["Key"][len(self.reglage.prefixe):]
        except (BotoCoreError, ClientError) as exc:
            raise self._echec("listées", exc) from exc

    def lien(self, cle: str, secondes: int = 3600) -> str:
        """A presigned GET URL: the browser fetches the photo from the storage itself (which
        it must reach; otherwise serve lire()'s bytes)."""
        try:
            return self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.reglage.bucket, "Key": self._cle(cle)}, ExpiresIn=secondes)
        except (BotoCoreError, ClientError) as exc:
            raise self._echec("lues", exc) from exc

    def verifier(self) -> None:
        """At start: the bucket exists and these keys may reach it (StockageIndisponible)."""
        try:
            self.client.head_bucket(Bucket=self.reglage.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise self._echec("atteintes", exc) from exc
