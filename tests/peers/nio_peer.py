#!/usr/bin/env python3
"""An independent Matrix peer for Commonplace's tests, driven over stdin and stdout.

It runs matrix-nio 0.25.2, whose end-to-end encryption is libolm, so a message that this peer
decrypts proves that our own vodozemac machine speaks the protocol and not just to itself.

The protocol is JSON lines. Each request is one object on one line of stdin:

    {"id": 7, "command": "send_text", "room_id": "!r:localhost", "body": "hello"}

and gets exactly one answer line on stdout, in order:

    {"id": 7, "ok": true, "result": {"event_id": "$e"}}
    {"id": 7, "ok": false, "error": "room_send: M_FORBIDDEN ..."}

Nothing else is ever written to stdout; nio's and our own logs go to stderr. The peer exits when
stdin closes or after the `close` command. With `--remove-on-eof DIR`, stdin closing without a
`close` command first (the test process died) also removes DIR, which no destructor will. Its store directory keeps the Olm account, the sessions,
the sync token and the access token (`session.json`), so a restarted peer with the same store is
the same device with the same keys.

Commands: login, whoami, sync, create_room, create_dm, invite, join, wait_for_invite,
wait_for_member, send_text, send_file, messages, download, trust_all_devices, query_keys,
start_verification, wait_for_verification, accept_verification, verification, wait_verification,
confirm_verification, cancel_verification, device_verified, close.

Verification is nio 0.25's own SAS (`nio/crypto/sas.py`): the start-first flow only (no
m.key.verification.request/ready/done), MAC `hkdf-hmac-sha256` (libolm's broken base64) or
`hmac-sha256`, key agreement `curve25519-hkdf-sha256` (or the old `curve25519`).
"""

import asyncio
import json
import logging
import os
import shutil
import sys
import time
import traceback

from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    KeyVerificationCancel,
    MegolmEvent,
    RoomEncryptedMedia,
    RoomMessageMedia,
    RoomMessageNotice,
    RoomMessageText,
    RoomPreset,
)
from nio.crypto.attachments import decrypt_attachment
from nio.crypto.sas import Sas

LOG = logging.getLogger("nio_peer")

MEGOLM = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


class PeerError(Exception):
    """A failure that is reported to the test as an error answer, not a crash of the peer."""


def checked(name, response):
    """nio returns error objects instead of raising; turn them into a PeerError that names the call."""
    if isinstance(response, ErrorResponse):
        raise PeerError(f"{name}: {response.status_code} {response.message}")
    return response


class Peer:
    def __init__(self):
        self.client = None
        self.store_dir = None
        # Every message seen in a sync, per room, in timeline order: tests look for theirs here.
        self.messages = {}
        # Cancellations the other side sent, by transaction id: nio forgets a verification as soon
        # as it is cancelled, and overwrites the code with its own.
        self.cancellations = {}

    # --- session -------------------------------------------------------------------------------

    async def login(self, homeserver, user, password, store_dir, device_name="nio peer"):
        os.makedirs(store_dir, exist_ok=True)
        self.store_dir = store_dir
        session_path = os.path.join(store_dir, "session.json")
        # nio retries a request forever while the homeserver is away; a test wants an error instead.
        config = AsyncClientConfig(
            store_sync_tokens=True,
            encryption_enabled=True,
            max_timeouts=5,
            max_timeout_retry_wait_time=2,
            request_timeout=30,
        )
        saved = None
        if os.path.exists(session_path):
            with open(session_path, encoding="utf-8") as file:
                saved = json.load(file)
        if saved and saved["user"] == user:
            # A restarted peer continues as the same device, with the keys in its store.
            self.client = AsyncClient(
                homeserver, saved["user_id"], device_id=saved["device_id"], store_path=store_dir, config=config
            )
            self.client.restore_login(saved["user_id"], saved["device_id"], saved["access_token"])
        else:
            self.client = AsyncClient(homeserver, user, store_path=store_dir, config=config)
            response = checked("login", await self.client.login(password, device_name=device_name))
            with open(session_path, "w", encoding="utf-8") as file:
                json.dump(
                    {
                        "user": user,
                        "user_id": response.user_id,
                        "device_id": response.device_id,
                        "access_token": response.access_token,
                    },
                    file,
                )
        # A restarted peer continues from its stored sync token, which alone would leave it not
        # knowing its rooms (nio keeps room state in memory only): ask for their full state once.
        await self.sync(0, full_state=saved is not None and saved["user"] == user)
        return self.whoami()

    def whoami(self):
        client = self.require_client()
        keys = client.olm.account.identity_keys if client.olm else {}
        return {
            "user_id": client.user_id,
            "device_id": client.device_id,
            "curve25519": keys.get("curve25519"),
            "ed25519": keys.get("ed25519"),
        }

    def require_client(self):
        if self.client is None:
            raise PeerError("not logged in: send the login command first")
        return self.client

    # --- sync ----------------------------------------------------------------------------------

    async def sync(self, timeout_ms, full_state=False):
        """One sync, then the key work that nio's sync_forever would do after it."""
        client = self.require_client()
        response = checked("sync", await client.sync(timeout=int(timeout_ms), full_state=full_state))
        for event in response.to_device_events:
            if isinstance(event, KeyVerificationCancel):
                self.cancellations[event.transaction_id] = {"code": event.code, "reason": event.reason}
        for room_id, room in response.rooms.join.items():
            for event in room.timeline.events:
                record = self.record(room_id, event)
                if record is not None:
                    self.messages.setdefault(room_id, []).append(record)
        if client.should_upload_keys:
            checked("keys_upload", await client.keys_upload())
        if client.should_query_keys:
            checked("keys_query", await client.keys_query())
        if client.should_claim_keys:
            checked("keys_claim", await client.keys_claim(client.get_users_for_key_claiming()))
        for result in await client.send_to_device_messages():
            checked("send_to_device", result)
        return {"next_batch": response.next_batch}

    @staticmethod
    def record(room_id, event):
        base = {
            "room_id": room_id,
            "event_id": event.event_id,
            "sender": event.sender,
            "encrypted": bool(getattr(event, "decrypted", False)),
            "decryption_failed": False,
            "msgtype": None,
            "body": None,
            "formatted_body": None,
            "file": None,
            "content": None,
        }
        if isinstance(event, (RoomMessageText, RoomMessageNotice)):
            base.update(
                msgtype=event.source.get("content", {}).get("msgtype"),
                body=event.body,
                formatted_body=event.formatted_body,
            )
        elif isinstance(event, RoomEncryptedMedia):
            base.update(
                msgtype=event.source.get("content", {}).get("msgtype"),
                body=event.body,
                file={"url": event.url, "key": event.key, "hashes": event.hashes, "iv": event.iv},
                content=event.source.get("content"),
            )
        elif isinstance(event, RoomMessageMedia):
            base.update(
                msgtype=event.source.get("content", {}).get("msgtype"),
                body=event.body,
                file={"url": event.url},
                content=event.source.get("content"),
            )
        elif isinstance(event, MegolmEvent):
            # An encrypted event this peer could not decrypt: the test sees it, so a missing room
            # key shows up as such instead of as a time-out.
            base.update(encrypted=True, decryption_failed=True)
        else:
            return None
        return base

    async def sync_until(self, what, timeout_ms, found):
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            result = found()
            if result is not None:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PeerError(f"timed out after {timeout_ms} ms waiting for {what}")
            await self.sync(min(1000, max(1, int(remaining * 1000))))

    # --- rooms ---------------------------------------------------------------------------------

    async def create_room(self, invite=(), encrypted=False, is_direct=False, name=None):
        client = self.require_client()
        response = checked(
            "room_create",
            await client.room_create(
                name=name,
                is_direct=is_direct,
                invite=list(invite),
                preset=RoomPreset.trusted_private_chat if is_direct else RoomPreset.private_chat,
                initial_state=[MEGOLM] if encrypted else [],
            ),
        )
        room_id = response.room_id
        await self.sync_until(f"room {room_id}", 10000, lambda: room_id if room_id in client.rooms else None)
        return {"room_id": room_id}

    async def invite(self, room_id, user_id):
        checked("room_invite", await self.require_client().room_invite(room_id, user_id))
        return {}

    async def join(self, room_id, timeout_ms=10000):
        client = self.require_client()
        checked("join", await client.join(room_id))
        await self.sync_until(f"joined room {room_id}", timeout_ms, lambda: room_id if room_id in client.rooms else None)
        return {"room_id": room_id}

    async def wait_for_invite(self, timeout_ms):
        client = self.require_client()
        rooms = await self.sync_until("an invite", timeout_ms, lambda: list(client.invited_rooms) or None)
        return {"room_ids": rooms}

    async def wait_for_member(self, room_id, user_id, timeout_ms):
        client = self.require_client()

        def joined():
            room = client.rooms.get(room_id)
            return True if room is not None and user_id in room.users and user_id not in room.invited_users else None

        await self.sync_until(f"{user_id} to join {room_id}", timeout_ms, joined)
        return {}

    # --- messages ------------------------------------------------------------------------------

    async def prepare_send(self, room_id):
        client = self.require_client()
        if room_id not in client.rooms:
            raise PeerError(f"this peer does not know room {room_id}: join it or sync first")
        if client.should_query_keys:
            checked("keys_query", await client.keys_query())

    async def send_text(self, room_id, body, formatted_body=None):
        await self.prepare_send(room_id)
        content = {"msgtype": "m.text", "body": body}
        if formatted_body is not None:
            content.update(format="org.matrix.custom.html", formatted_body=formatted_body)
        # nio refuses to encrypt for devices nobody verified unless told; tests trust every device.
        response = checked(
            "room_send",
            await self.require_client().room_send(room_id, "m.room.message", content, ignore_unverified_devices=True),
        )
        return {"event_id": response.event_id}

    async def send_file(self, room_id, path, content_type="application/octet-stream", extra=None):
        await self.prepare_send(room_id)
        client = self.require_client()
        encrypted = client.rooms[room_id].encrypted
        size = os.path.getsize(path)
        with open(path, "rb") as file:
            response, keys = await client.upload(
                file, content_type=content_type, filename=os.path.basename(path), encrypt=encrypted, filesize=size
            )
        checked("upload", response)
        content = {"msgtype": "m.file", "body": os.path.basename(path), "info": {"size": size, "mimetype": content_type}}
        if encrypted:
            content["file"] = {"url": response.content_uri, **keys}
        else:
            content["url"] = response.content_uri
        # Extra fields, such as a Commonplace resource card, travel beside the file.
        content.update(extra or {})
        sent = checked(
            "room_send",
            await client.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True),
        )
        return {"event_id": sent.event_id, "url": response.content_uri}

    def messages_in(self, room_id):
        return {"messages": self.messages.get(room_id, [])}

    async def download(self, room_id, event_id, save_to):
        record = next((m for m in self.messages.get(room_id, []) if m["event_id"] == event_id), None)
        if record is None or record["file"] is None:
            raise PeerError(f"no file message {event_id} has been seen in {room_id}")
        file = record["file"]
        response = checked("download", await self.require_client().download(mxc=file["url"]))
        data = response.body
        if "key" in file:
            data = decrypt_attachment(data, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
        with open(save_to, "wb") as output:
            output.write(data)
        return {"path": save_to, "size": len(data)}

    def trust_all_devices(self):
        client = self.require_client()
        trusted = 0
        for user_id in client.device_store.users:
            for device in client.device_store.active_user_devices(user_id):
                if device.device_id != client.device_id and not device.verified:
                    client.verify_device(device)
                    trusted += 1
        return {"trusted": trusted}

    # --- verification --------------------------------------------------------------------------

    async def query_keys(self, user_id):
        """Fetches a user's devices, which nio must know before it verifies or accepts one."""
        client = self.require_client()
        client.olm.users_for_key_query.add(user_id)
        checked("keys_query", await client.keys_query())
        return {"device_ids": [device.id for device in client.device_store.active_user_devices(user_id)]}

    def device(self, user_id, device_id):
        try:
            return self.require_client().device_store[user_id][device_id]
        except KeyError:
            raise PeerError(f"this peer does not know device {device_id} of {user_id}: query_keys first") from None

    async def start_verification(self, user_id, device_id):
        client = self.require_client()
        message = client.create_key_verification(self.device(user_id, device_id))
        checked("to_device", await client.to_device(message))
        return {"transaction_id": message.content["transaction_id"]}

    async def wait_for_verification(self, timeout_ms):
        """Syncs until another device starts a verification with this one; returns the newest."""
        client = self.require_client()

        def incoming():
            waiting = [
                sas
                for sas in client.key_verifications.values()
                if not sas.we_started_it and not sas.canceled and sas.chosen_key_agreement is None
            ]
            if not waiting:
                return None
            sas = max(waiting, key=lambda sas: sas.creation_time)
            device = sas.other_olm_device
            return {"transaction_id": sas.transaction_id, "user_id": device.user_id, "device_id": device.id}

        return await self.sync_until("an incoming verification", timeout_ms, incoming)

    async def accept_verification(self, transaction_id):
        checked("accept_key_verification", await self.require_client().accept_key_verification(transaction_id))
        return {}

    def verification(self, transaction_id):
        client = self.require_client()
        sas = client.key_verifications.get(transaction_id)
        received = self.cancellations.get(transaction_id)
        if sas is None and received is None:
            raise PeerError(f"no verification {transaction_id}")
        result = {
            "transaction_id": transaction_id,
            "state": sas.state.name if sas is not None else "canceled",
            "we_started": sas.we_started_it if sas is not None else False,
            "mac_method": sas.chosen_mac_method if sas is not None else None,
            "emojis": None,
            "decimals": None,
            "verified": bool(sas is not None and sas.verified),
            "canceled": sas is None or sas.canceled,
            # Who cancelled: the other side (received) or nio itself (its own code).
            "canceled_by_other": received is not None,
            "cancel_code": None,
            "cancel_reason": None,
        }
        if received is not None:
            result.update(cancel_code=received["code"], cancel_reason=received["reason"])
        elif sas.canceled:
            result.update(cancel_code=sas.cancel_code, cancel_reason=sas.cancel_reason)
        if sas is not None and not sas.canceled and sas.other_key_set:
            result["emojis"] = [
                {"number": Sas.emoji.index((emoji, name)), "emoji": emoji, "name": name}
                for emoji, name in sas.get_emoji()
            ]
            result["decimals"] = list(sas.get_decimals())
        return result

    async def wait_verification(self, transaction_id, until, timeout_ms):
        """Syncs until the verification has its strings (`emojis`), is `verified`, or is `canceled`;
        a cancellation ends every wait."""
        if until not in ("emojis", "verified", "canceled"):
            raise PeerError(f"cannot wait until {until!r}")

        def reached():
            try:
                current = self.verification(transaction_id)
            except PeerError:
                return None
            if current["canceled"] or (until == "emojis" and current["emojis"]) or (until == "verified" and current["verified"]):
                return current
            return None

        return await self.sync_until(f"verification {transaction_id} to be {until}", timeout_ms, reached)

    async def confirm_verification(self, transaction_id):
        checked("confirm_short_auth_string", await self.require_client().confirm_short_auth_string(transaction_id))
        return self.verification(transaction_id)

    async def cancel_verification(self, transaction_id, reject=False):
        client = self.require_client()
        checked("cancel_key_verification", await client.cancel_key_verification(transaction_id, reject=reject))
        return self.verification(transaction_id)

    def device_verified(self, user_id, device_id):
        return {"verified": self.device(user_id, device_id).verified}

    async def close(self):
        if self.client is not None:
            await self.client.close()
        return {}

    # --- dispatch ------------------------------------------------------------------------------

    async def handle(self, request):
        command = request.get("command")
        arguments = {key: value for key, value in request.items() if key not in ("id", "command")}
        if command == "login":
            return await self.login(**arguments)
        if command == "whoami":
            return self.whoami()
        if command == "sync":
            return await self.sync(arguments.get("timeout_ms", 0))
        if command == "create_room":
            return await self.create_room(**arguments)
        if command == "create_dm":
            return await self.create_room(
                invite=[arguments["user_id"]], encrypted=arguments.get("encrypted", True), is_direct=True
            )
        if command == "invite":
            return await self.invite(**arguments)
        if command == "join":
            return await self.join(**arguments)
        if command == "wait_for_invite":
            return await self.wait_for_invite(**arguments)
        if command == "wait_for_member":
            return await self.wait_for_member(**arguments)
        if command == "send_text":
            return await self.send_text(**arguments)
        if command == "send_file":
            return await self.send_file(**arguments)
        if command == "messages":
            return self.messages_in(**arguments)
        if command == "download":
            return await self.download(**arguments)
        if command == "trust_all_devices":
            return self.trust_all_devices()
        if command == "query_keys":
            return await self.query_keys(**arguments)
        if command == "start_verification":
            return await self.start_verification(**arguments)
        if command == "wait_for_verification":
            return await self.wait_for_verification(**arguments)
        if command == "accept_verification":
            return await self.accept_verification(**arguments)
        if command == "verification":
            return self.verification(**arguments)
        if command == "wait_verification":
            return await self.wait_verification(**arguments)
        if command == "confirm_verification":
            return await self.confirm_verification(**arguments)
        if command == "cancel_verification":
            return await self.cancel_verification(**arguments)
        if command == "device_verified":
            return self.device_verified(**arguments)
        if command == "close":
            return await self.close()
        raise PeerError(f"unknown command {command!r}")


def answer(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def main():
    remove_on_eof = None
    if len(sys.argv) == 3 and sys.argv[1] == "--remove-on-eof":
        remove_on_eof = sys.argv[2]
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    peer = Peer()
    loop = asyncio.get_running_loop()
    lines = asyncio.Queue()
    stdin_closed = asyncio.Event()

    async def read_stdin():
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                stdin_closed.set()
                return
            await lines.put(line)

    reader = asyncio.ensure_future(read_stdin())
    closed = asyncio.ensure_future(stdin_closed.wait())
    while True:
        next_line = asyncio.ensure_future(lines.get())
        await asyncio.wait({next_line, closed}, return_when=asyncio.FIRST_COMPLETED)
        if not next_line.done():
            next_line.cancel()
            break
        line = next_line.result().strip()
        if not line:
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            # A test process that dies mid-command closes stdin: stop at once instead of finishing.
            command = asyncio.ensure_future(peer.handle(request))
            await asyncio.wait({command, closed}, return_when=asyncio.FIRST_COMPLETED)
            if not command.done():
                command.cancel()
                break
            answer({"id": request_id, "ok": True, "result": command.result()})
            if request.get("command") == "close":
                return
        except PeerError as error:
            answer({"id": request_id, "ok": False, "error": str(error)})
        except Exception as error:  # noqa: BLE001 - every failure must reach the test as an answer
            LOG.error("command failed:\n%s", traceback.format_exc())
            answer({"id": request_id, "ok": False, "error": f"{type(error).__name__}: {error}"})
    # stdin closed without a close command: the test process is gone.
    reader.cancel()
    await peer.close()
    if remove_on_eof is not None:
        shutil.rmtree(remove_on_eof, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
