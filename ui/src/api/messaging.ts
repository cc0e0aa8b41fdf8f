// Typed helpers for the messaging commands: unlocking this computer's message keys, the Matrix
// accounts on it, their conversations and messages, groups and invitations, who can read a
// conversation, searching messages, notifications, sending files and saving or previewing those
// sent, sharing resources into conversations and saving the ones shared, verifying devices by
// comparing emoji, and the shell's `messaging-changed` event.

import type {
  AccountInfo,
  BundleImport,
  Events,
  MessageInfo,
  MessagingStatus,
  NotificationLevel,
  NotificationSettingsInfo,
  RoomInfo,
  RoomReader,
  SendResult,
  VerificationInfo,
} from "../generated/ipc";
import { call } from "./call";
import { listenForEvent } from "./native";

/** Whether the message keys are unlocked, and the accounts on this computer. */
export function getMessagingStatus(): Promise<MessagingStatus> {
  return call("messaging_get_status", {});
}

/**
 * Unlocks the message keys with the passphrase; the first time, the passphrase becomes the one
 * that protects them. `remember` keeps the key in the system keyring, so the next start does not
 * ask (false forgets one kept before). A wrong passphrase rejects with kind `forbidden`.
 */
export function unlockMessaging(passphrase: string, remember: boolean): Promise<MessagingStatus> {
  return call("messaging_unlock_keys", { request: { passphrase, remember } });
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

/** A new end-to-end encrypted group conversation named `name`, inviting `invite` (`@name:server`). */
export function createGroup(userId: string, name: string, invite: string[]): Promise<RoomInfo> {
  return call("messaging_create_group", { request: { userId, name, invite } });
}

/** Invites `invitee` (`@name:server`) into a conversation. */
export async function inviteUser(userId: string, roomId: string, invitee: string): Promise<void> {
  await call("messaging_invite_user", { request: { userId, roomId, invitee } });
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
 * Who can read what is sent in a conversation now: its members (joined or invited) and each of
 * their devices, new ones flagged. The account's own other devices are included; this one is not.
 */
export function listReaders(userId: string, roomId: string): Promise<RoomReader[]> {
  return call("messaging_list_readers", { request: { userId, roomId } });
}

/** Says the person has seen `owner`'s new device `deviceId`: it is no longer flagged as new. */
export async function acknowledgeDevice(
  userId: string,
  owner: string,
  deviceId: string,
): Promise<void> {
  await call("messaging_acknowledge_device", { request: { userId, owner, deviceId } });
}

/**
 * Starts verifying `owner`'s device `deviceId` (one of the account's own other devices too) by
 * comparing emoji: the other device is asked, and the verification follows its transaction id.
 */
export function startVerification(
  userId: string,
  owner: string,
  deviceId: string,
): Promise<VerificationInfo> {
  return call("messaging_start_verification", { request: { userId, owner, deviceId } });
}

/** Accepts a verification another device asked for (step `incoming`). */
export function acceptVerification(
  userId: string,
  transactionId: string,
): Promise<VerificationInfo> {
  return call("messaging_accept_verification", { request: { userId, transactionId } });
}

/** The person says the emoji on both devices are the same. */
export function confirmVerification(
  userId: string,
  transactionId: string,
): Promise<VerificationInfo> {
  return call("messaging_confirm_verification", { request: { userId, transactionId } });
}

/**
 * Ends a verification: `mismatch` when the person says the emoji differ (the other device is told
 * so), otherwise they declined or gave up.
 */
export function cancelVerification(
  userId: string,
  transactionId: string,
  mismatch: boolean,
): Promise<VerificationInfo> {
  return call("messaging_cancel_verification", { request: { userId, transactionId, mismatch } });
}

/** The account's verifications since the app started, those other devices asked for included. */
export function listVerifications(userId: string): Promise<VerificationInfo[]> {
  return call("messaging_list_verifications", { request: { userId } });
}

/**
 * Fetches older messages of a conversation from the homeserver onto this computer; answers how
 * many arrived, 0 at the conversation's start. `listMessages` with a larger limit then shows them.
 */
export function loadOlderMessages(userId: string, roomId: string): Promise<number> {
  return call("messaging_load_older", { request: { userId, roomId } });
}

/**
 * Searches the decrypted text of the account's messages kept on this computer (nothing is asked
 * of the server): the best `limit` matches, each naming its conversation.
 */
export function searchMessages(
  userId: string,
  query: string,
  limit: number,
): Promise<MessageInfo[]> {
  return call("messaging_search_messages", { request: { userId, query, limit } });
}

/**
 * The account's notification level per conversation (those not listed are `all`) and whether
 * do-not-disturb is on (for every account).
 */
export function getNotificationSettings(userId: string): Promise<NotificationSettingsInfo> {
  return call("messaging_get_notifications", { request: { userId } });
}

/** Which new messages of a conversation become desktop notifications: all, mentions or none. */
export async function setRoomNotifications(
  userId: string,
  roomId: string,
  level: NotificationLevel,
): Promise<void> {
  await call("messaging_set_room_notifications", { request: { userId, roomId, level } });
}

/** Turns do-not-disturb on or off: while on, no message of any account becomes a notification. */
export async function setDoNotDisturb(enabled: boolean): Promise<void> {
  await call("messaging_set_do_not_disturb", { request: { enabled } });
}

/**
 * Sends a message written in Markdown. It answers `queued` when the homeserver cannot be reached:
 * the message waits on this computer and goes out once the server is back.
 */
export function sendText(userId: string, roomId: string, text: string): Promise<SendResult> {
  return call("messaging_send_text", { request: { userId, roomId, text } });
}

/**
 * Sends a file the person picked (its absolute path, from the open dialog), end-to-end encrypted
 * when the conversation is; images (PNG, JPEG, GIF, WebP) go as images. A file over the size limit
 * is refused with kind `invalidInput` (the message says so), one that cannot be read with `io`.
 * Answers `queued` when the homeserver cannot be reached: it goes out once the server is back.
 */
export function sendFile(userId: string, roomId: string, path: string): Promise<SendResult> {
  return call("messaging_send_file", { request: { userId, roomId, path } });
}

/**
 * Downloads (and decrypts) the file or image a message (`eventId`) carries to `destination`, the
 * path the person chose in the save dialog.
 */
export async function saveAttachment(
  userId: string,
  eventId: string,
  destination: string,
): Promise<void> {
  await call("messaging_save_attachment", { request: { userId, eventId, destination } });
}

/** Only PNG data URLs are shown; anything else the shell might send is treated as none. */
const IMAGE_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

/**
 * A preview of an image message, at most 640 pixels across, as a `data:image/png;base64,…` URL
 * the shell made (the window never decodes the original), or null when the message is not an
 * image. The URL belongs in an `<img>`'s `src` and nowhere else.
 */
export async function getImage(userId: string, eventId: string): Promise<string | null> {
  const url = await call("messaging_get_image", { request: { userId, eventId } });
  return url !== null && IMAGE_URL.test(url) ? url : null;
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
