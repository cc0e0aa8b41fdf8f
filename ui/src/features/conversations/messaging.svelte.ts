// The Conversations section's state: whether this computer's message keys are unlocked, the
// accounts on it, the one in use, its conversations and the messages of the one open. It lives
// outside the components so that it survives switching sections, and so that the shell's
// `messaging-changed` events update the very data the components show.

import {
  getMessagingStatus,
  listMessages,
  listRooms,
  removeAccount,
  toCommandError,
  unlockMessaging,
  type AccountInfo,
  type CommandError,
  type MessageInfo,
  type MessagingChanged,
  type MessagingLock,
  type MessagingStatus,
  type RoomInfo,
} from "../../api";

/** How many of a conversation's latest messages the window shows. */
export const MESSAGE_LIMIT = 100;

type Status = "idle" | "loading" | "ready" | "failed";

type Loaded<T> = { status: Status; list: T[]; error: CommandError | null };

type State = {
  status: Status;
  error: CommandError | null;
  lock: MessagingLock;
  accounts: AccountInfo[];
  /** The identity the person is using; switching it is one click in the accounts bar. */
  selectedUserId: string | null;
  rooms: Loaded<RoomInfo>;
  openRoomId: string | null;
  /**
   * A conversation the shell has just started or joined for the person. The list of conversations
   * may not hold it (or still hold it as an invitation) until the next sync; meanwhile it is shown
   * as the shell answered, and stays open.
   */
  arrived: RoomInfo | null;
  messages: Loaded<MessageInfo>;
};

function unloaded<T>(): Loaded<T> {
  return { status: "idle", list: [], error: null };
}

export const messaging = $state<State>({
  status: "idle",
  error: null,
  lock: "locked",
  accounts: [],
  selectedUserId: null,
  rooms: unloaded(),
  openRoomId: null,
  arrived: null,
  messages: unloaded(),
});

// Each kind of load counts its requests, so that only the latest answer is used: an answer for
// an account or a conversation the person has since left behind must not replace the current one.
let statusSequence = 0;
let roomsSequence = 0;
let messagesSequence = 0;

/** The account in use, or null when there is none. */
export function selectedAccount(): AccountInfo | null {
  return messaging.accounts.find((account) => account.userId === messaging.selectedUserId) ?? null;
}

/** The conversations of the account in use, with one just started or joined as it now is. */
export function visibleRooms(): RoomInfo[] {
  const { list } = messaging.rooms;
  const arrived = messaging.arrived;
  if (arrived === null) return list;
  if (!list.some((room) => room.roomId === arrived.roomId)) return [arrived, ...list];
  return list.map((room) => (room.roomId === arrived.roomId ? arrived : room));
}

/** The open conversation, or null. */
export function openedRoom(): RoomInfo | null {
  return visibleRooms().find((room) => room.roomId === messaging.openRoomId) ?? null;
}

/** Asks the shell whether the keys are unlocked and which accounts there are. */
export async function loadStatus(): Promise<void> {
  const mine = ++statusSequence;
  if (messaging.status !== "ready") messaging.status = "loading";
  try {
    const status = await getMessagingStatus();
    if (mine !== statusSequence) return;
    applyStatus(status);
  } catch (reason) {
    if (mine !== statusSequence) return;
    messaging.error = toCommandError(reason);
    if (messaging.status !== "ready") messaging.status = "failed";
  }
}

/**
 * Unlocks the keys (or, the first time, protects them with this passphrase). Rejects with the
 * shell's `CommandError`, which the lock screen explains.
 */
export async function unlock(passphrase: string): Promise<void> {
  const status = await unlockMessaging(passphrase);
  statusSequence += 1;
  applyStatus(status);
}

function applyStatus(status: MessagingStatus): void {
  messaging.lock = status.lock;
  messaging.accounts = status.accounts;
  messaging.status = "ready";
  messaging.error = null;
  const kept = status.accounts.some((account) => account.userId === messaging.selectedUserId);
  if (!kept) {
    selectAccount(status.accounts[0]?.userId ?? null);
  } else if (status.lock === "unlocked") {
    // The section was opened again, or the keys were just unlocked: what was shown may be old.
    void loadRooms();
    if (messaging.openRoomId !== null) void loadMessages();
  }
}

/** Uses another identity: its conversations are listed, and none is open yet. */
export function selectAccount(userId: string | null): void {
  if (userId === messaging.selectedUserId && messaging.rooms.status !== "idle") return;
  messaging.selectedUserId = userId;
  messaging.rooms = unloaded();
  closeRoom();
  if (userId !== null && messaging.lock === "unlocked") void loadRooms();
}

/** Keeps an account that was just signed in to, and uses it. */
export function accountAdded(account: AccountInfo): void {
  messaging.accounts = [
    ...messaging.accounts.filter((known) => known.userId !== account.userId),
    account,
  ];
  selectAccount(account.userId);
}

/** Signs an account out and forgets it; the next one (if any) is used instead. */
export async function signOut(userId: string): Promise<void> {
  await removeAccount(userId);
  messaging.accounts = messaging.accounts.filter((account) => account.userId !== userId);
  if (messaging.selectedUserId === userId) selectAccount(messaging.accounts[0]?.userId ?? null);
}

/** Lists the conversations of the account in use again; a failure keeps what was listed. */
export async function loadRooms(): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  const mine = ++roomsSequence;
  if (messaging.rooms.status !== "ready") messaging.rooms.status = "loading";
  try {
    const list = await listRooms(userId);
    if (mine !== roomsSequence || userId !== messaging.selectedUserId) return;
    messaging.rooms = { status: "ready", list, error: null };
    const arrived = messaging.arrived;
    if (
      list.some((room) => room.roomId === arrived?.roomId && room.membership === arrived.membership)
    ) {
      messaging.arrived = null;
    }
    // A conversation left elsewhere (or on another device) closes; one not listed yet stays.
    const open = openedRoom();
    if (open && open.membership !== "joined") closeRoom();
  } catch (reason) {
    if (mine !== roomsSequence || userId !== messaging.selectedUserId) return;
    messaging.rooms.error = toCommandError(reason);
    if (messaging.rooms.status !== "ready") messaging.rooms.status = "failed";
  }
}

/**
 * Opens a conversation of the account in use and loads its messages. Given the `RoomInfo` the
 * shell answered when starting or joining it, it is shown even before the list holds it.
 */
export function openRoom(room: string | RoomInfo): void {
  const roomId = typeof room === "string" ? room : room.roomId;
  if (typeof room !== "string") messaging.arrived = room;
  if (roomId === messaging.openRoomId && messaging.messages.status !== "failed") return;
  messaging.openRoomId = roomId;
  messaging.messages = unloaded();
  void loadMessages();
}

function closeRoom(): void {
  messagesSequence += 1;
  messaging.openRoomId = null;
  messaging.arrived = null;
  messaging.messages = unloaded();
}

/** Loads the open conversation's latest messages again; a failure keeps those shown. */
export async function loadMessages(): Promise<void> {
  const userId = messaging.selectedUserId;
  const roomId = messaging.openRoomId;
  if (userId === null || roomId === null) return;
  const mine = ++messagesSequence;
  if (messaging.messages.status !== "ready") messaging.messages.status = "loading";
  try {
    const list = await listMessages(userId, roomId, MESSAGE_LIMIT);
    if (mine !== messagesSequence) return;
    messaging.messages = { status: "ready", list, error: null };
  } catch (reason) {
    if (mine !== messagesSequence) return;
    messaging.messages.error = toCommandError(reason);
    if (messaging.messages.status !== "ready") messaging.messages.status = "failed";
  }
}

/** An account and the conversations it is in, for sharing a resource into one of them. */
export type ShareTargets = {
  account: AccountInfo;
  /** Only the conversations the account has joined: invitations and those left are not offered. */
  rooms: RoomInfo[];
  /** Why its conversations could not be listed; the other accounts' are still offered. */
  error: CommandError | null;
};

/**
 * The conversations a resource can be shared into, account by account, in the accounts' order.
 * The status is asked for first (the Conversations section may not have been opened yet); while
 * the keys are locked, or when the status could not be had, there is none — `messaging` says why.
 */
export async function loadShareTargets(): Promise<ShareTargets[]> {
  await loadStatus();
  if (messaging.status !== "ready" || messaging.lock !== "unlocked") return [];
  return Promise.all(
    messaging.accounts.map(async (account): Promise<ShareTargets> => {
      try {
        const rooms = await listRooms(account.userId);
        return {
          account,
          rooms: rooms.filter((room) => room.membership === "joined"),
          error: null,
        };
      } catch (reason) {
        return { account, rooms: [], error: toCommandError(reason) };
      }
    }),
  );
}

/**
 * What the shell's `messaging-changed` event means for the window: the account's connection is
 * updated, and when it is the account in use, its conversations (and the open one's messages, if
 * they have news) are loaded again.
 */
export function messagingChanged(change: MessagingChanged): void {
  if (messaging.lock !== "unlocked") return;
  const account = messaging.accounts.find((known) => known.userId === change.userId);
  if (!account) {
    // An account this window has not heard of was added elsewhere (the command line, say).
    void loadStatus();
    return;
  }
  account.connection = change.connection;
  account.problem = change.problem;
  if (change.userId !== messaging.selectedUserId) return;
  void loadRooms();
  if (messaging.openRoomId !== null && change.rooms.includes(messaging.openRoomId)) {
    void loadMessages();
  }
}

/** Forgets everything (for tests). */
export function resetMessaging(): void {
  statusSequence += 1;
  roomsSequence += 1;
  messagesSequence += 1;
  messaging.status = "idle";
  messaging.error = null;
  messaging.lock = "locked";
  messaging.accounts = [];
  messaging.selectedUserId = null;
  messaging.rooms = unloaded();
  messaging.openRoomId = null;
  messaging.arrived = null;
  messaging.messages = unloaded();
}
