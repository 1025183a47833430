"""The key a statement is signed with: a private key file (asking for its passphrase) or one ssh-agent holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncssh

from drilltui.errors import UserError
from drilltui.evidence.sshsig import armor, sig_algorithm, signed_data
from drilltui.frozen import frozen
from drilltui.visible import visible

TRIES = 3


@frozen
class Signer:
    """Signs messages as OpenSSH signatures with one key."""

    public_key: asyncssh.SSHKey
    source: str  # the key file, as the user named it
    _sign: Callable[[bytes], Awaitable[bytes]]

    @property
    def fingerprint(self) -> str:
        return self.public_key.get_fingerprint("sha256")

    async def sign(self, message: bytes, namespace: str) -> str:
        """The armored signature of `message`, exactly as `ssh-keygen -Y sign -n namespace` writes it."""
        try:
            signature = await self._sign(signed_data(message, namespace))
        except (OSError, ValueError, asyncssh.Error) as exc:
            raise UserError(f"cannot sign with {self.source}: {visible(str(exc))}") from None
        return armor(self.public_key.public_data, namespace, signature)


def _local(key: asyncssh.SSHKey, source: str) -> Signer:
    algorithm = sig_algorithm(key)

    async def sign(data: bytes) -> bytes:
        return key.sign(data, algorithm)

    return Signer(key.convert_to_public(), source, sign)


def _agent(public: asyncssh.SSHKey, source: str) -> Signer:
    async def sign(data: bytes) -> bytes:
        try:
            agent = await asyncssh.connect_agent()
        except (OSError, asyncssh.Error, ValueError):
            agent = None
        if agent is None:
            raise UserError(f"{source} is a public key, and no ssh-agent answers (is SSH_AUTH_SOCK set?); "
                            "give the private key file, or run ssh-agent and ssh-add")
        try:
            held = [k for k in await agent.get_keys() if k.public_data == public.public_data]
            if not held:
                raise UserError(f"ssh-agent does not hold the private key of {source}; `ssh-add` it, or give the private key file")
            held[0].set_sig_algorithm(sig_algorithm(held[0]))
            return await held[0].sign_async(data)  # type: ignore[attr-defined]  # asyncssh's agent key pairs sign asynchronously
        finally:
            agent.close()
            await agent.wait_closed()

    return Signer(public, f"{source} (in ssh-agent)", sign)


def load_signer(path: Path, ask: Callable[[str], str] | None) -> Signer:
    """The signer for a key file: a private key, or a public key whose private half ssh-agent holds.

    `ask(prompt)` reads a passphrase for an encrypted key; without it such a key is refused.
    UserError, in one line, for a key that is missing, unreadable or not a key.
    """
    source = visible(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read the key {source}: {exc.strerror or exc}; give the path of your SSH key "
                        "(such as ~/.ssh/id_ed25519)") from None
    try:
        return _local(asyncssh.import_private_key(data), source)
    except asyncssh.KeyImportError as exc:
        if "assphrase" in str(exc):
            return _local(_decrypt(data, source, ask), source)
    except (asyncssh.KeyEncryptionError, ValueError):
        pass
    try:
        public = asyncssh.import_public_key(data)
    except (asyncssh.KeyImportError, ValueError):
        raise UserError(f"{source} is not an SSH key; give your private key file (such as ~/.ssh/id_ed25519), "
                        "or its .pub file if ssh-agent holds the key") from None
    return _agent(public, source)


def _decrypt(data: bytes, source: str, ask: Callable[[str], str] | None) -> asyncssh.SSHKey:
    if ask is None:
        raise UserError(f"{source} is encrypted and there is no terminal to ask its passphrase; run at a terminal, "
                        f"or `ssh-add` the key and give {source}.pub")
    for _ in range(TRIES):
        try:
            return asyncssh.import_private_key(data, ask(f"passphrase for {source}: "))
        except asyncssh.KeyEncryptionError as exc:
            if "bcrypt" in str(exc):
                raise UserError(f"{source} is encrypted, and reading encrypted OpenSSH keys needs bcrypt: "
                                f"pip install 'drilltui[attest]', or `ssh-add` the key and give {source}.pub") from None
            if "ncorrect passphrase" not in str(exc):
                raise UserError(f"cannot read the key {source}: {visible(str(exc))}") from None
        except (asyncssh.KeyImportError, ValueError) as exc:
            raise UserError(f"cannot read the key {source}: {visible(str(exc))}") from None
    raise UserError(f"wrong passphrase for {source} ({TRIES} tries); nothing was signed")
