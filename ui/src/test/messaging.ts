// Sample accounts, conversations and messages for the messaging tests, shaped as the shell returns
// them.

import type { AccountInfo, MessageInfo, RoomInfo } from "../generated/ipc";

export function sampleAccount(userId: string, extra: Partial<AccountInfo> = {}): AccountInfo {
  return {
    userId,
    deviceId: "COMMONPLACE1",
    homeserver: `https://${userId.split(":")[1] ?? "example.org"}`,
    connection: "online",
    problem: null,
    ...extra,
  };
}

export function sampleRoom(roomId: string, extra: Partial<RoomInfo> = {}): RoomInfo {
  return {
    roomId,
    name: null,
    directWith: null,
    encrypted: true,
    membership: "joined",
    ...extra,
  };
}

/**
 * A text message sent at `minute` past noon on 3 May 2024 (the homeserver's clock), in the
 * conversation `!room:school.example.org` unless `extra` names another.
 */
export function sampleMessage(
  eventId: string,
  sender: string,
  body: string,
  extra: Partial<MessageInfo> = {},
  minute = 0,
): MessageInfo {
  return {
    eventId,
    roomId: "!room:school.example.org",
    sender,
    timestamp: Date.UTC(2024, 4, 3, 12, minute),
    kind: "text",
    body,
    html: null,
    encrypted: true,
    undecryptableReason: null,
    resource: null,
    ...extra,
  };
}
