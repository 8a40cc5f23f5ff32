"""Where evidence bytes live: a small storage interface and its database backend.

The database backend (the default) keeps each blob as ordered chunks of at most 1 MiB in
``evidence_chunk``, in the same transaction as the attachment that first brought it, so one database
backup holds the answers and the documents they rest on, and a rollback leaves no orphan bytes. Reads
select one chunk at a time, so serving a 20 MB file holds one megabyte in the server, not twenty.

A large deployment may want the bytes in an S3-compatible object store instead: docs/deploy.md
("Evidence documents") describes that path (a second :class:`BlobStore` keyed by the same SHA-256);
it is not built. The blob's row (``evidence_blob.storage``) names its backend, so both can coexist
during a move.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from assessment.evidence_models import CHUNK_SIZE, EVIDENCE_CHUNK_TABLE


class BlobStore(Protocol):
    """Bytes by SHA-256: written once, read as a stream of chunks, deleted when no attachment uses them."""

    name: str

    def put(self, sha256: str, f: BinaryIO) -> int:
        """Store the whole of ``f`` (read from its start) under ``sha256``; return the number of chunks."""
        ...

    def read(self, sha256: str, chunks: int) -> Iterator[bytes]:
        """The bytes of ``sha256``, in order, one chunk at a time."""
        ...

    def delete(self, sha256: str) -> None:
        """Forget ``sha256``'s bytes (its last attachment was purged)."""
        ...


class DatabaseBlobStore:
    """Chunks in the ``evidence_chunk`` table, written and read through the caller's session (its transaction)."""

    name = "db"

    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, sha256: str, f: BinaryIO) -> int:
        f.seek(0)
        seq = 0
        while True:
            block = f.read(CHUNK_SIZE)
            if not block:
                break
            self.session.execute(insert(EVIDENCE_CHUNK_TABLE).values(sha256=sha256, seq=seq, data=block))
            seq += 1
        return seq

    def read(self, sha256: str, chunks: int) -> Iterator[bytes]:
        table = EVIDENCE_CHUNK_TABLE
        for seq in range(chunks):
            data = self.session.execute(
                select(table.c.data).where(table.c.sha256 == sha256, table.c.seq == seq)
            ).scalar_one()
            yield bytes(data)

    def delete(self, sha256: str) -> None:
        self.session.execute(delete(EVIDENCE_CHUNK_TABLE).where(EVIDENCE_CHUNK_TABLE.c.sha256 == sha256))


def store_for(session: Session, name: str = "db") -> BlobStore:
    """The backend called ``name`` (only the database one exists; docs/deploy.md for S3-compatible stores)."""
    if name != "db":
        raise LookupError(f"evidence storage backend {name!r} is not available in this installation")
    return DatabaseBlobStore(session)


def join(chunks: Iterable[bytes]) -> bytes:
    """All of a stream's bytes (for a caller that must hand one ``bytes`` on, such as a download button)."""
    return b"".join(chunks)
