// The Conversations section's state: whether this computer's message keys are unlocked, the
// accounts on it, the one in use, its conversations and notification settings, the messages and
// readers of the one open, the device verification under way and the verifications other devices
// ask for. It lives outside the components so that it survives switching sections, and so that the
// shell's `messaging-changed` events update the very data the components show.

import {
  acceptVerification as acceptVerificationCommand,
  acknowledgeDevice as acknowledgeDeviceCommand,
  cancelVerification as cancelVerificationCommand,
  confirmVerification as confirmVerificationCommand,
  getMessagingStatus,
  getNotificationSettings,
  leaveRoom,
  listMessages,
  listReaders,
  listRooms,
  listVerifications,
  loadOlderMessages,
  removeAccount,
  setDoNotDisturb,
  setRoomNotifications,
  startVerification as startVerificationCommand,
  toCommandError,
  unlockMessaging,
  type AccountInfo,
  type CommandError,
  type KeyringState,
  type MessageInfo,
  type MessagingChanged,
  type MessagingLock,
  type MessagingStatus,
  type NotificationLevel,
  type RoomInfo,
  type RoomNotificationLevel,
  type RoomReader,
  type VerificationInfo,
  type VerificationStep,
} from "../../api";

/** How many of a conversation's latest messages the window shows when it opens. */
export const MESSAGE_LIMIT = 100;

/**
 * How many more messages "Load older messages" shows when the server had none to add but this
 * computer keeps more than are shown (the shell fetches 50 at a time too).
 */
const OLDER_STEP = 50;

/** How many times older messages are fetched, at most, to find a message to reveal. */
const REVEAL_PAGES = 5;

type Status = "idle" | "loading" | "ready" | "failed";

type Loaded<T> = { status: Status; list: T[]; error: CommandError | null };

/** Fetching the open conversation's older messages, and whether its start has been reached. */
type Older = {
  status: "idle" | "loading" | "failed";
  atStart: boolean;
  error: CommandError | null;
};

/** The account in use's notification levels (conversations not listed are `all`). */
type Notifications = {
  status: Status;
  /** For every account, not only the one in use. */
  doNotDisturb: boolean;
  rooms: RoomNotificationLevel[];
  error: CommandError | null;
};

/** The verification the dialog follows, of one account, as the shell last said it stands. */
export type FollowedVerification = {
  userId: string;
  info: VerificationInfo;
  /** Accepting, confirming or cancelling it is under way. */
  busy: boolean;
  /** Why the last of those failed. */
  error: CommandError | null;
};

type State = {
  status: Status;
  error: CommandError | null;
  lock: MessagingLock;
  /** Whether the system keyring can remember the key, and does. */
  keyring: KeyringState;
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
  /** How many of the open conversation's latest messages are shown; older ones add to it. */
  messageLimit: number;
  older: Older;
  /**
   * A message of the open conversation to bring into view (a search result chosen); the
   * conversation shows it once it is among those loaded, and clears this.
   */
  revealEventId: string | null;
  /** Who can read what is sent in the open conversation now, with their devices. */
  readers: Loaded<RoomReader>;
  notifications: Notifications;
  /** The verification the dialog shows; null when there is none. */
  verification: FollowedVerification | null;
  /**
   * Other devices asking the account in use to verify, not answered yet: the section offers to
   * verify or decline each, without getting in the way.
   */
  incoming: VerificationInfo[];
};

function unloaded<T>(): Loaded<T> {
  return { status: "idle", list: [], error: null };
}

function notYetOlder(): Older {
  return { status: "idle", atStart: false, error: null };
}

function noNotifications(): Notifications {
  return { status: "idle", doNotDisturb: false, rooms: [], error: null };
}

export const messaging = $state<State>({
  status: "idle",
  error: null,
  lock: "locked",
  keyring: "unavailable",
  accounts: [],
  selectedUserId: null,
  rooms: unloaded(),
  openRoomId: null,
  arrived: null,
  messages: unloaded(),
  messageLimit: MESSAGE_LIMIT,
  older: notYetOlder(),
  revealEventId: null,
  readers: unloaded(),
  notifications: noNotifications(),
  verification: null,
  incoming: [],
});

// Each kind of load counts its requests, so that only the latest answer is used: an answer for
// an account or a conversation the person has since left behind must not replace the current one.
let statusSequence = 0;
let roomsSequence = 0;
let messagesSequence = 0;
let olderSequence = 0;
let readersSequence = 0;
let notificationsSequence = 0;
let verificationsSequence = 0;
let revealSequence = 0;

/** The latest requests for the open conversation's messages and older ones, for `revealMessage`. */
let messagesRequest: Promise<void> = Promise.resolve();
let olderRequest: Promise<void> = Promise.resolve();

/** The transactions `messaging-changed` named for the account in use, since it has been in use. */
let named = new Set<string>();
/** The account in use's verifications as last listed, by transaction id. */
let listed = new Map<string, VerificationInfo>();

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
export async function unlock(passphrase: string, remember: boolean): Promise<void> {
  const status = await unlockMessaging(passphrase, remember);
  statusSequence += 1;
  applyStatus(status);
}

function applyStatus(status: MessagingStatus): void {
  messaging.lock = status.lock;
  messaging.keyring = status.keyring;
  messaging.accounts = status.accounts;
  messaging.status = "ready";
  messaging.error = null;
  const kept = status.accounts.some((account) => account.userId === messaging.selectedUserId);
  if (!kept) {
    selectAccount(status.accounts[0]?.userId ?? null);
  } else if (status.lock === "unlocked") {
    // The section was opened again, or the keys were just unlocked: what was shown may be old.
    void loadRooms();
    void loadNotifications();
    if (messaging.openRoomId !== null) {
      void loadMessages();
      void loadReaders();
    }
    // The verifications may have moved on while the section was not listening.
    const followed = messaging.verification?.userId ?? null;
    if (followed !== null) void loadVerifications(followed, true);
    const selected = messaging.selectedUserId;
    if (selected !== null && selected !== followed && named.size > 0) {
      void loadVerifications(selected, false);
    }
  }
}

/** Uses another identity: its conversations are listed, and none is open yet. */
export function selectAccount(userId: string | null): void {
  if (userId === messaging.selectedUserId && messaging.rooms.status !== "idle") return;
  messaging.selectedUserId = userId;
  messaging.rooms = unloaded();
  notificationsSequence += 1;
  messaging.notifications = noNotifications();
  forgetIncoming();
  closeRoom();
  if (userId !== null && messaging.lock === "unlocked") {
    void loadRooms();
    void loadNotifications();
  }
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
  forgetOpenRoom();
  messaging.openRoomId = roomId;
  void loadMessages();
  void loadReaders();
}

function closeRoom(): void {
  forgetOpenRoom();
  messaging.openRoomId = null;
  messaging.arrived = null;
}

/** Whatever was loaded for the conversation that was open: its answers are no longer wanted. */
function forgetOpenRoom(): void {
  messagesSequence += 1;
  olderSequence += 1;
  readersSequence += 1;
  messaging.messages = unloaded();
  messaging.messageLimit = MESSAGE_LIMIT;
  messaging.older = notYetOlder();
  messaging.revealEventId = null;
  messaging.readers = unloaded();
}

/** Loads the open conversation's latest messages again; a failure keeps those shown. */
export function loadMessages(): Promise<void> {
  messagesRequest = requestMessages();
  return messagesRequest;
}

async function requestMessages(): Promise<void> {
  const userId = messaging.selectedUserId;
  const roomId = messaging.openRoomId;
  if (userId === null || roomId === null) return;
  const mine = ++messagesSequence;
  if (messaging.messages.status !== "ready") messaging.messages.status = "loading";
  try {
    const list = await listMessages(userId, roomId, messaging.messageLimit);
    if (mine !== messagesSequence) return;
    messaging.messages = { status: "ready", list, error: null };
  } catch (reason) {
    if (mine !== messagesSequence) return;
    messaging.messages.error = toCommandError(reason);
    if (messaging.messages.status !== "ready") messaging.messages.status = "failed";
  }
}

/**
 * Fetches the open conversation's older messages from the server and shows them above those
 * shown. When the server has none left and every message kept here is shown, the conversation's
 * start has been reached. While older messages are being fetched, answers when they are.
 */
export function loadOlder(): Promise<void> {
  if (messaging.older.status === "loading") return olderRequest;
  olderRequest = requestOlder();
  return olderRequest;
}

async function requestOlder(): Promise<void> {
  const userId = messaging.selectedUserId;
  const roomId = messaging.openRoomId;
  if (userId === null || roomId === null) return;
  const mine = ++olderSequence;
  messaging.older = { status: "loading", atStart: false, error: null };
  try {
    const fetched = await loadOlderMessages(userId, roomId);
    if (mine !== olderSequence) return;
    const shown = messaging.messages.list.length;
    // Fewer shown than asked for means this computer keeps no more than that.
    if (fetched === 0 && shown < messaging.messageLimit) {
      messaging.older = { status: "idle", atStart: true, error: null };
      return;
    }
    messaging.messageLimit = Math.max(messaging.messageLimit, shown) + (fetched || OLDER_STEP);
    await loadMessages();
    if (mine !== olderSequence) return;
    const atStart = fetched === 0 && messaging.messages.list.length < messaging.messageLimit;
    messaging.older = { status: "idle", atStart, error: null };
  } catch (reason) {
    if (mine !== olderSequence) return;
    messaging.older = { status: "failed", atStart: false, error: toCommandError(reason) };
  }
}

/**
 * What became of a message to reveal: `shown` once loaded (the conversation brings it into view),
 * `missing` when it is further back than this computer has, `dropped` when the person moved on or
 * the messages could not be loaded (the conversation says why).
 */
export type Revealed = "shown" | "missing" | "dropped";

/**
 * Opens a conversation of the account in use and reveals one of its messages, fetching older
 * messages (a few times at most) until it is among those loaded or the start is reached.
 */
export async function revealMessage(roomId: string, eventId: string): Promise<Revealed> {
  const mine = ++revealSequence;
  openRoom(roomId);
  messaging.revealEventId = eventId;
  const current = () => mine === revealSequence && messaging.openRoomId === roomId;
  const loaded = () => messaging.messages.list.some((message) => message.eventId === eventId);
  // Wait for the latest list of messages (news may have asked for it again meanwhile).
  let awaited: Promise<void> | null = null;
  while (messaging.messages.status === "loading" && awaited !== messagesRequest) {
    awaited = messagesRequest;
    await awaited;
  }
  for (let page = 0; current() && messaging.messages.status === "ready"; page += 1) {
    if (loaded()) return "shown";
    if (messaging.older.atStart || page === REVEAL_PAGES) {
      messaging.revealEventId = null;
      return "missing";
    }
    await loadOlder();
    if (messaging.older.status === "failed") break;
  }
  if (current()) messaging.revealEventId = null;
  return "dropped";
}

/** The conversation has brought the message to reveal into view. */
export function messageRevealed(): void {
  messaging.revealEventId = null;
}

/** Leaves the open conversation; it closes, and the conversations are listed again. */
export async function leaveOpenRoom(): Promise<void> {
  const userId = messaging.selectedUserId;
  const roomId = messaging.openRoomId;
  if (userId === null || roomId === null) return;
  await leaveRoom(userId, roomId);
  if (roomId === messaging.openRoomId) closeRoom();
  await loadRooms();
}

/** Asks again who can read the open conversation; a failure keeps those listed. */
export async function loadReaders(): Promise<void> {
  const userId = messaging.selectedUserId;
  const roomId = messaging.openRoomId;
  if (userId === null || roomId === null) return;
  const mine = ++readersSequence;
  if (messaging.readers.status !== "ready") messaging.readers.status = "loading";
  try {
    const list = await listReaders(userId, roomId);
    if (mine !== readersSequence) return;
    messaging.readers = { status: "ready", list, error: null };
  } catch (reason) {
    if (mine !== readersSequence) return;
    messaging.readers.error = toCommandError(reason);
    if (messaging.readers.status !== "ready") messaging.readers.status = "failed";
  }
}

/** Whether someone who can read the open conversation has a device not yet acknowledged. */
export function hasNewDevice(): boolean {
  return messaging.readers.list.some((reader) => reader.devices.some((device) => device.isNew));
}

/**
 * Says the person knows `owner`'s device `deviceId` (they checked it with them): it is no longer
 * flagged, and the readers are listed again. Rejects with the shell's `CommandError`.
 */
export async function acknowledgeDevice(owner: string, deviceId: string): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  await acknowledgeDeviceCommand(userId, owner, deviceId);
  await loadReaders();
}

/** Loads the account in use's notification levels and do-not-disturb. */
export async function loadNotifications(): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  const mine = ++notificationsSequence;
  if (messaging.notifications.status !== "ready") messaging.notifications.status = "loading";
  try {
    const settings = await getNotificationSettings(userId);
    if (mine !== notificationsSequence) return;
    messaging.notifications = { status: "ready", ...settings, error: null };
  } catch (reason) {
    if (mine !== notificationsSequence) return;
    messaging.notifications.error = toCommandError(reason);
    if (messaging.notifications.status !== "ready") messaging.notifications.status = "failed";
  }
}

/** Which new messages of a conversation of the account in use become notifications. */
export function notificationLevel(roomId: string): NotificationLevel {
  return messaging.notifications.rooms.find((room) => room.roomId === roomId)?.level ?? "all";
}

function keepLevel(roomId: string, level: NotificationLevel): void {
  const others = messaging.notifications.rooms.filter((room) => room.roomId !== roomId);
  messaging.notifications.rooms = level === "all" ? others : [...others, { roomId, level }];
}

/**
 * Changes a conversation's notification level; shown at once, and put back as it was when the
 * shell refuses (rejecting with its `CommandError`).
 */
export async function changeNotificationLevel(
  roomId: string,
  level: NotificationLevel,
): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  const previous = notificationLevel(roomId);
  keepLevel(roomId, level);
  try {
    await setRoomNotifications(userId, roomId, level);
  } catch (reason) {
    if (userId === messaging.selectedUserId && notificationLevel(roomId) === level) {
      keepLevel(roomId, previous);
    }
    throw reason;
  }
}

/**
 * Turns do-not-disturb on or off; shown at once, and put back as it was when the shell refuses
 * (rejecting with its `CommandError`).
 */
export async function changeDoNotDisturb(enabled: boolean): Promise<void> {
  messaging.notifications.doNotDisturb = enabled;
  try {
    await setDoNotDisturb(enabled);
  } catch (reason) {
    if (messaging.notifications.doNotDisturb === enabled) {
      messaging.notifications.doNotDisturb = !enabled;
    }
    throw reason;
  }
}

/** How far along each step is: a verification never goes back. */
const PROGRESS: Record<VerificationStep, number> = {
  requested: 0,
  incoming: 0,
  started: 1,
  compare: 2,
  confirmed: 3,
  done: 4,
  cancelled: 4,
};

/** Whether a verification has ended, verified or not. */
export function isFinal(step: VerificationStep): boolean {
  return step === "done" || step === "cancelled";
}

function followed(userId: string, transactionId: string): FollowedVerification | null {
  const current = messaging.verification;
  return current?.userId === userId && current.info.transactionId === transactionId
    ? current
    : null;
}

/**
 * Takes what the shell says of the followed verification, unless it is older than what is shown
 * (answers and lists can cross). Once verified, who can read the open conversation is listed
 * again, so the device shows as verified.
 */
function advance(userId: string, info: VerificationInfo): void {
  const current = followed(userId, info.transactionId);
  if (!current || isFinal(current.info.step)) return;
  if (PROGRESS[info.step] < PROGRESS[current.info.step]) return;
  current.info = info;
  if (info.step === "done" && userId === messaging.selectedUserId) void loadReaders();
}

/** Shows a verification of `userId`'s account in the dialog, which follows it from then on. */
export function followVerification(userId: string, info: VerificationInfo): void {
  messaging.verification = { userId, info, busy: false, error: null };
  messaging.incoming = messaging.incoming.filter(
    (known) => known.transactionId !== info.transactionId,
  );
  // The shell may have said it moved on before this window knew it was the one to follow.
  const known = listed.get(info.transactionId);
  if (known && named.has(info.transactionId) && userId === messaging.selectedUserId) {
    advance(userId, known);
  }
}

/**
 * Starts verifying `owner`'s device `deviceId` from the account in use, and follows it. Rejects
 * with the shell's `CommandError`.
 */
export async function startVerification(owner: string, deviceId: string): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  const info = await startVerificationCommand(userId, owner, deviceId);
  followVerification(userId, info);
}

/** Runs a command about the followed verification; its failure is kept for the dialog to say. */
async function act(
  command: (userId: string, transactionId: string) => Promise<VerificationInfo>,
): Promise<void> {
  const current = messaging.verification;
  if (!current || current.busy || isFinal(current.info.step)) return;
  const { userId } = current;
  const { transactionId } = current.info;
  current.busy = true;
  current.error = null;
  try {
    advance(userId, await command(userId, transactionId));
  } catch (reason) {
    const still = followed(userId, transactionId);
    if (still) still.error = toCommandError(reason);
  } finally {
    const still = followed(userId, transactionId);
    if (still) still.busy = false;
  }
}

/** Accepts the followed verification, which another device asked for. */
export function acceptFollowedVerification(): Promise<void> {
  return act(acceptVerificationCommand);
}

/** The person says the emoji are the same on both devices. */
export function confirmFollowedVerification(): Promise<void> {
  return act(confirmVerificationCommand);
}

/** The person says the emoji differ: the verification ends, and the other device is told why. */
export function rejectFollowedVerification(): Promise<void> {
  return act((userId, transactionId) => cancelVerificationCommand(userId, transactionId, true));
}

/**
 * Closes the dialog; a verification that has not ended is cancelled (the person gave up rather
 * than saw different emoji). Rejects with the shell's `CommandError` when cancelling failed.
 */
export async function closeVerification(): Promise<void> {
  const current = messaging.verification;
  if (!current) return;
  messaging.verification = null;
  if (isFinal(current.info.step)) return;
  await cancelVerificationCommand(current.userId, current.info.transactionId, false);
}

/** Verifies with a device that asked the account in use: the dialog opens and it is accepted. */
export async function answerIncoming(info: VerificationInfo): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  followVerification(userId, info);
  await acceptFollowedVerification();
}

/** Declines, for now, a device asking the account in use to verify. Rejects with `CommandError`. */
export async function declineIncoming(info: VerificationInfo): Promise<void> {
  const userId = messaging.selectedUserId;
  if (userId === null) return;
  await cancelVerificationCommand(userId, info.transactionId, false);
  named.delete(info.transactionId);
  messaging.incoming = messaging.incoming.filter(
    (known) => known.transactionId !== info.transactionId,
  );
}

/**
 * Lists `userId`'s verifications again: the followed one (when `follow`) takes what moved on and,
 * for the account in use, those named by the shell that wait for an answer are offered. A failure
 * changes nothing.
 */
export async function loadVerifications(userId: string, follow: boolean): Promise<void> {
  const selected = userId === messaging.selectedUserId;
  const mine = selected ? ++verificationsSequence : verificationsSequence;
  let list: VerificationInfo[];
  try {
    list = await listVerifications(userId);
  } catch {
    // The next change the shell announces asks again.
    return;
  }
  if (follow) for (const info of list) advance(userId, info);
  if (!selected || mine !== verificationsSequence || userId !== messaging.selectedUserId) return;
  listed = new Map(list.map((info) => [info.transactionId, info]));
  const shown = messaging.verification?.info.transactionId;
  messaging.incoming = list.filter(
    (info) =>
      info.step === "incoming" && named.has(info.transactionId) && info.transactionId !== shown,
  );
}

/** What the shell says moved on: the followed verification, or new ones for the account in use. */
function verificationsChanged(change: MessagingChanged): void {
  if (change.verifications.length === 0) return;
  const current = messaging.verification;
  const forFollowed =
    current?.userId === change.userId && change.verifications.includes(current.info.transactionId);
  const forSelected = change.userId === messaging.selectedUserId;
  if (forSelected) for (const transactionId of change.verifications) named.add(transactionId);
  if (forFollowed || forSelected) void loadVerifications(change.userId, forFollowed);
}

function forgetIncoming(): void {
  verificationsSequence += 1;
  named = new Set();
  listed = new Map();
  messaging.incoming = [];
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
 * updated, the verifications that moved on are listed again, and when it is the account in use,
 * its conversations (and the open one's messages and readers, if it has news) are loaded again.
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
  verificationsChanged(change);
  if (change.userId !== messaging.selectedUserId) return;
  void loadRooms();
  if (messaging.openRoomId !== null && change.rooms.includes(messaging.openRoomId)) {
    // News in the open conversation may be messages, or people and devices joining it.
    void loadMessages();
    void loadReaders();
  }
}

/** Forgets everything (for tests). */
export function resetMessaging(): void {
  statusSequence += 1;
  roomsSequence += 1;
  messagesSequence += 1;
  olderSequence += 1;
  readersSequence += 1;
  notificationsSequence += 1;
  revealSequence += 1;
  messaging.status = "idle";
  messaging.error = null;
  messaging.lock = "locked";
  messaging.keyring = "unavailable";
  messaging.accounts = [];
  messaging.selectedUserId = null;
  messaging.rooms = unloaded();
  messaging.openRoomId = null;
  messaging.arrived = null;
  messaging.messages = unloaded();
  messaging.messageLimit = MESSAGE_LIMIT;
  messaging.older = notYetOlder();
  messaging.revealEventId = null;
  messaging.readers = unloaded();
  messaging.notifications = noNotifications();
  messaging.verification = null;
  forgetIncoming();
}
