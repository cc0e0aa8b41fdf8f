// Typed helpers for the messaging commands: unlocking this computer's message keys, the Matrix
// accounts on it, their conversations and messages, sharing resources into them and saving the
// ones shared, and the shell's `messaging-changed` event.

import type {
  AccountInfo,
  BundleImport,
  Events,
  MessageInfo,
  MessagingStatus,
  RoomInfo,
  SendResult,
} from "../generated/ipc";
import { call } from "./call";
import { listenForEvent } from "./native";

/** Whether the message keys are unlocked, and the accounts on this computer. */
export function getMessagingStatus(): Promise<MessagingStatus> {
  return call("messaging_get_status", {});
}

/**
 * Unlocks the message keys with the passphrase; the first time, the passphrase becomes the one
 * that protects them. A wrong passphrase rejects with kind `forbidden`.
 */
export function unlockMessaging(passphrase: string): Promise<MessagingStatus> {
  return call("messaging_unlock_keys", { request: { passphrase } });
}

/** Signs in to a homeserver (a URL or a server name) and keeps the account on this computer. */
export function addAccount(
  homeserver: string,
  user: string,
  password: string,
): Promise<AccountInfo> {
  return call("messaging_add_account", { request: { homeserver, user, password } });
}

/** Signs the account out and removes its keys and messages from this computer. */
export async function removeAccount(userId: string): Promise<void> {
  await call("messaging_remove_account", { request: { userId } });
}

/** The account's conversations, including invitations it has not answered. */
export function listRooms(userId: string): Promise<RoomInfo[]> {
  return call("messaging_list_rooms", { request: { userId } });
}

/** The latest `limit` messages of a conversation, oldest first. */
export function listMessages(
  userId: string,
  roomId: string,
  limit: number,
): Promise<MessageInfo[]> {
  return call("messaging_list_messages", { request: { userId, roomId, limit } });
}

/** The direct conversation with `withUser` (`@name:server`): the existing one, or a new one. */
export function openDirect(userId: string, withUser: string): Promise<RoomInfo> {
  return call("messaging_open_direct", { request: { userId, with: withUser } });
}

/** Accepts an invitation to a conversation. */
export function joinRoom(userId: string, roomId: string): Promise<RoomInfo> {
  return call("messaging_join_room", { request: { userId, roomId } });
}

/** Leaves a conversation, or declines an invitation to it. */
export async function leaveRoom(userId: string, roomId: string): Promise<void> {
  await call("messaging_leave_room", { request: { userId, roomId } });
}

/**
 * Sends a message written in Markdown. It answers `queued` when the homeserver cannot be reached:
 * the message waits on this computer and goes out once the server is back.
 */
export function sendText(userId: string, roomId: string, text: string): Promise<SendResult> {
  return call("messaging_send_text", { request: { userId, roomId, text } });
}

/**
 * Shares a resource of the library into a conversation, with its history, licence and credits
 * (end-to-end encrypted when the conversation is). A resource without an open licence (`unknown`,
 * `all-rights-reserved`) is refused with kind `forbidden` unless the person `confirmed` they may
 * share it; locked message keys are refused with `forbidden` too. Answers `queued` when the
 * homeserver cannot be reached: it goes out once the server is back.
 */
export function shareResource(
  userId: string,
  roomId: string,
  resourceId: string,
  confirmed: boolean,
): Promise<SendResult> {
  return call("messaging_share_resource", { request: { userId, roomId, resourceId, confirmed } });
}

/**
 * Saves the resource a message (`eventId`) carries into the library, as opening a bundle would:
 * each resource is `added`, `updated`, `upToDate`, or `diverged` when both sides changed it.
 */
export function saveResource(userId: string, eventId: string): Promise<BundleImport> {
  return call("messaging_save_resource", { request: { userId, eventId } });
}

/**
 * Listens for the shell saying that an account's conversations or its connection changed.
 * Resolves with the function that stops listening; outside the app's window it does nothing.
 */
export function listenForMessagingChanges(
  handler: (change: Events["messaging-changed"]) => void,
): Promise<() => void> {
  return listenForEvent("messaging-changed", handler);
}
