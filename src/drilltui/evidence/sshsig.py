"""OpenSSH signatures (PROTOCOL.sshsig, what `ssh-keygen -Y sign` writes): make, read and check them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from typing import TYPE_CHECKING

from drilltui.frozen import frozen

if TYPE_CHECKING:
    import asyncssh

MAGIC = b"SSHSIG"
VERSION = 1
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
HASH = "sha512"  # what ssh-keygen uses by default
LINE = 70  # ssh-keygen's line width for the armored blob
# RSA keys sign with SHA-2 here; the SHA-1 "ssh-rsa" algorithm is refused (PROTOCOL.sshsig, section 2).
LEGACY = frozenset({b"ssh-rsa"})


class SignatureError(ValueError):
    """A signature that cannot be read or does not check out; the message says why."""


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise SignatureError("the signature is cut short")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def uint32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def string(self) -> bytes:
        return self.take(self.uint32())

    def end(self) -> None:
        if self.at != len(self.data):
            raise SignatureError("the signature has bytes after its end")


def signed_data(message: bytes, namespace: str, hash_name: str = HASH) -> bytes:
    """The bytes a key signs for `message` (PROTOCOL.sshsig, section 3)."""
    digest = HASHES[hash_name](message).digest()
    return MAGIC + _string(namespace.encode()) + _string(b"") + _string(hash_name.encode()) + _string(digest)


def sig_algorithm(key: asyncssh.SSHKey | asyncssh.SSHKeyPair) -> bytes:
    """The signature algorithm for a key: rsa-sha2-512 for RSA, the key's own for the others."""
    algorithms = list(key.sig_algorithms)
    return b"rsa-sha2-512" if b"rsa-sha2-512" in algorithms else algorithms[0]


def armor(public_key: bytes, namespace: str, signature: bytes, hash_name: str = HASH) -> str:
    """The armored signature file for an SSH-encoded `signature` by `public_key` (its wire blob)."""
    blob = (MAGIC + struct.pack(">I", VERSION) + _string(public_key) + _string(namespace.encode())
            + _string(b"") + _string(hash_name.encode()) + _string(signature))
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + LINE] for i in range(0, len(text), LINE)]
    return "\n".join([BEGIN, *lines, END]) + "\n"


@frozen
class Signature:
    """An armored signature, read: who signed (their public key) and the rest of the blob."""

    public_key: asyncssh.SSHKey
    namespace: str
    hash_name: str
    signature: bytes  # SSH-encoded: string algorithm, string signature blob

    @property
    def fingerprint(self) -> str:
        return self.public_key.get_fingerprint("sha256")

    @property
    def key_line(self) -> str:
        """The signer's key as an OpenSSH public key line (`ssh-ed25519 AAAA...`)."""
        algorithm, data = self.public_key.export_public_key("openssh").decode("ascii").split()[:2]
        return f"{algorithm} {data}"

    def check(self, message: bytes, namespace: str) -> None:
        """Raise SignatureError unless this is a good signature of `message` in `namespace`."""
        if self.namespace != namespace:
            raise SignatureError(f"the signature is for namespace '{self.namespace}', not '{namespace}'")
        algorithm = _Reader(self.signature).string()
        if algorithm in LEGACY:
            raise SignatureError("the signature uses SHA-1 (ssh-rsa), which OpenSSH refuses for signatures")
        if not self.public_key.verify(signed_data(message, self.namespace, self.hash_name), self.signature):
            raise SignatureError("the signature does not match the statement (the text or the signature was changed)")


def parse(text: str) -> Signature:
    """Read an armored signature; SignatureError if it is not one."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 3 or lines[0] != BEGIN or lines[-1] != END:
        raise SignatureError(f"not an SSH signature (it must start with '{BEGIN}')")
    try:
        blob = base64.b64decode("".join(lines[1:-1]), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("the signature's base64 text is damaged") from None
    r = _Reader(blob)
    if r.take(6) != MAGIC:
        raise SignatureError("not an SSH signature (its blob does not start with SSHSIG)")
    version = r.uint32()
    if version != VERSION:
        raise SignatureError(f"SSH signature version {version} is not supported (only {VERSION})")
    key_blob = r.string()
    namespace = r.string().decode("utf-8", "replace")
    r.string()  # reserved: ignored, as the format asks
    hash_name = r.string().decode("ascii", "replace")
    signature = r.string()
    r.end()
    if hash_name not in HASHES:
        raise SignatureError(f"the signature's hash '{hash_name}' is not sha256 or sha512")
    import asyncssh  # only here: a log with no attestation never needs it, and it takes a fifth of a second to load

    try:
        algorithm = _Reader(key_blob).string().decode("ascii")
        key = asyncssh.import_public_key(f"{algorithm} {base64.b64encode(key_blob).decode('ascii')}")
    except (SignatureError, UnicodeDecodeError, asyncssh.KeyImportError, ValueError):
        raise SignatureError("the signature's public key cannot be read") from None
    return Signature(key, namespace, hash_name, signature)
