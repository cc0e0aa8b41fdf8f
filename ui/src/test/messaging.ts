// Sample accounts, conversations, messages and verifications for the messaging tests, shaped as the
// shell returns them, and messaging behind the fake shell.

import type {
  AccountInfo,
  KeyringState,
  MessageInfo,
  MessagingChanged,
  MessagingLock,
  NotificationLevel,
  ReaderDevice,
  RoomInfo,
  RoomReader,
  SasEmoji,
  SendStatus,
  VerificationInfo,
} from "../generated/ipc";
import type { FakeShell } from "./shell";

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

// What a device is unless a test says otherwise: known before, and (where the contract has it)
// not verified. Kept apart from the literal below, so that a field the contract adds to devices
// needs a default here and nowhere else.
const ordinaryDevice = {
  fingerprint: "ABCD EFGH IJKL MNOP QRST UVWX YZ01 2345 6789 abcd efg",
  isNew: false,
  verified: false,
};

/** A device of someone who can read a conversation, known before unless `isNew`. */
export function sampleDevice(deviceId: string, extra: Partial<ReaderDevice> = {}): ReaderDevice {
  return { ...ordinaryDevice, deviceId, displayName: `Laptop ${deviceId}`, ...extra };
}

// What the shell's `messaging-changed` says unless a test says otherwise: online, no news and (where
// the contract has them) no verifications moving on. Kept apart from the literal below, as
// `ordinaryDevice` is, so that a field the contract adds needs a default here and nowhere else.
const quietChange = {
  rooms: [] as string[],
  connection: "online" as const,
  problem: null,
  verifications: [] as string[],
};

/** The shell's `messaging-changed` event for `userId`'s account. */
export function sampleChange(
  userId: string,
  extra: Partial<MessagingChanged> = {},
): MessagingChanged {
  return { ...quietChange, userId, ...extra };
}

/** Seven emoji of the Matrix spec's table, as the shell gives them once keys are exchanged. */
export const sampleEmojis: SasEmoji[] = [
  { emoji: "🐶", name: "Dog" },
  { emoji: "🚀", name: "Rocket" },
  { emoji: "🌵", name: "Cactus" },
  { emoji: "🔑", name: "Key" },
  { emoji: "🐧", name: "Penguin" },
  { emoji: "🎸", name: "Guitar" },
  { emoji: "☂️", name: "Umbrella" },
];

/** The same check as `sampleEmojis`, as three numbers. */
export const sampleDecimals = [1234, 5678, 9012];

/**
 * A verification with Ben's laptop that this account asked for and Ben has not answered yet,
 * unless `extra` says otherwise.
 */
export function sampleVerification(
  transactionId: string,
  extra: Partial<VerificationInfo> = {},
): VerificationInfo {
  return {
    transactionId,
    otherUser: "@ben:school.example.org",
    otherDevice: "BENLAPTOP",
    weStarted: true,
    step: "requested",
    emojis: [],
    decimals: [],
    cancelCode: null,
    cancelReason: null,
    cancelledByUs: false,
    ...extra,
  };
}

/** What the shell says of a verification once the emoji are ready to compare. */
export const readyToCompare: Partial<VerificationInfo> = {
  step: "compare",
  emojis: sampleEmojis,
  decimals: sampleDecimals,
};

/**
 * A conversation as the fake shell keeps it: its messages on this computer, the older ones still
 * only on the server (newest first, as paging back finds them), and who can read it.
 */
export type StoredRoom = RoomInfo & {
  messages: MessageInfo[];
  older?: MessageInfo[];
  readers?: RoomReader[];
};

/** A conversation for `fakeMessaging`, with copies of the lists it is given (paging changes them). */
export function stored(
  roomId: string,
  messages: MessageInfo[],
  extra: Partial<StoredRoom> = {},
): StoredRoom {
  const { older, ...rest } = extra;
  return {
    ...sampleRoom(roomId, rest),
    ...rest,
    messages: [...messages],
    ...(older ? { older: [...older] } : {}),
  };
}

/** How many older messages the shell fetches at a time. */
const OLDER_PAGE = 50;

/** What the shell sends as an image rather than as a file, by the name's extension. */
const IMAGE_NAME = /\.(?:png|jpe?g|gif|webp)$/i;

/**
 * Messaging behind the fake shell: unlocking, signing in, starting, joining and leaving
 * conversations, groups and invitations, sending text and files, paging back, acknowledging
 * devices, the notification settings and verifications change it, so the window's reloads show
 * real effects. Verifications started are `txn-1`, `txn-2`… and wait at `requested`; a test moves
 * them on (`verification(userId, transactionId)` is the one the shell keeps) and says so with a
 * `messaging-changed` event, as the shell does.
 * Files go out once `state.sending` settles (a test holds it back to see the window meanwhile);
 * `images` are the previews the shell answers per event id (other messages have none).
 */
export function fakeMessaging(
  options: {
    lock?: MessagingLock;
    passphrase?: string;
    accounts?: AccountInfo[];
    rooms?: Record<string, StoredRoom[]>;
    sendStatus?: SendStatus;
    keyring?: KeyringState;
    doNotDisturb?: boolean;
    levels?: Record<string, Record<string, NotificationLevel>>;
    images?: Record<string, string>;
    verifications?: Record<string, VerificationInfo[]>;
  } = {},
) {
  const state = {
    lock: options.lock ?? "unlocked",
    keyring: options.keyring ?? ("unavailable" as KeyringState),
    passphrase: options.passphrase ?? "",
    accounts: [...(options.accounts ?? [])],
    rooms: new Map(Object.entries(options.rooms ?? {})),
    sendStatus: options.sendStatus ?? "sent",
    doNotDisturb: options.doNotDisturb ?? false,
    levels: new Map(
      Object.entries(options.levels ?? {}).map(([userId, rooms]) => [
        userId,
        new Map(Object.entries(rooms)),
      ]),
    ),
    sending: Promise.resolve(),
    images: new Map(Object.entries(options.images ?? {})),
    verifications: new Map(
      Object.entries(options.verifications ?? {}).map(([userId, list]) => [
        userId,
        list.map((info) => ({ ...info })),
      ]),
    ),
  };
  let next = 1;
  const roomsOf = (userId: string) => {
    const rooms = state.rooms.get(userId);
    if (!rooms) throw { kind: "notFound", message: `no account ${userId}` };
    return rooms;
  };
  const room = (userId: string, roomId: string) => {
    const found = roomsOf(userId).find((known) => known.roomId === roomId);
    if (!found) throw { kind: "notFound", message: `no room ${roomId}` };
    return found;
  };
  const levelsOf = (userId: string) => {
    const levels = state.levels.get(userId) ?? new Map<string, NotificationLevel>();
    state.levels.set(userId, levels);
    return levels;
  };
  const verificationsOf = (userId: string) => {
    const list = state.verifications.get(userId) ?? [];
    state.verifications.set(userId, list);
    return list;
  };
  const verification = (userId: string, transactionId: string) => {
    const found = verificationsOf(userId).find((known) => known.transactionId === transactionId);
    if (!found) throw { kind: "notFound", message: `there is no verification ${transactionId}` };
    return found;
  };
  // The window gets copies, as it would over IPC; the fake keeps its own.
  const copy = (info: VerificationInfo): VerificationInfo => ({
    ...info,
    emojis: info.emojis.map((emoji) => ({ ...emoji })),
    decimals: [...info.decimals],
  });
  const info = ({
    messages: _messages,
    older: _older,
    readers: _readers,
    ...rest
  }: StoredRoom): RoomInfo => rest;
  const shell: FakeShell = {
    messaging_get_status: {
      handle: () => ({ lock: state.lock, keyring: state.keyring, accounts: state.accounts }),
    },
    messaging_unlock_keys: {
      handle: ({ request }) => {
        if (state.lock === "locked" && request.passphrase !== state.passphrase) {
          throw { kind: "forbidden", message: "the passphrase does not open the keys" };
        }
        state.passphrase = request.passphrase;
        state.lock = "unlocked";
        if (state.keyring !== "unavailable")
          state.keyring = request.remember ? "remembered" : "available";
        return { lock: state.lock, keyring: state.keyring, accounts: state.accounts };
      },
    },
    messaging_add_account: {
      handle: ({ request }) => {
        const server = request.homeserver.replace(/^https?:\/\//, "");
        const userId = request.user.startsWith("@") ? request.user : `@${request.user}:${server}`;
        const account = sampleAccount(userId, {
          homeserver: `https://${server}`,
          connection: "connecting",
        });
        state.accounts.push(account);
        state.rooms.set(userId, []);
        return account;
      },
    },
    messaging_remove_account: {
      handle: ({ request }) => {
        state.accounts = state.accounts.filter((account) => account.userId !== request.userId);
        state.rooms.delete(request.userId);
        return null;
      },
    },
    messaging_list_rooms: {
      handle: ({ request }) => roomsOf(request.userId).map(info),
    },
    messaging_list_messages: {
      handle: ({ request }) => room(request.userId, request.roomId).messages.slice(-request.limit),
    },
    messaging_open_direct: {
      handle: ({ request }) => {
        const rooms = roomsOf(request.userId);
        const existing = rooms.find((known) => known.directWith === request.with);
        if (existing) return info(existing);
        const created = stored(`!new-${next++}:school.example.org`, [], {
          directWith: request.with,
        });
        rooms.push(created);
        return info(created);
      },
    },
    messaging_create_group: {
      handle: ({ request }) => {
        const created = stored(`!group-${next++}:school.example.org`, [], {
          name: request.name,
          readers: request.invite.map((userId) => ({ userId, membership: "invited", devices: [] })),
        });
        roomsOf(request.userId).push(created);
        return info(created);
      },
    },
    messaging_invite_user: {
      handle: ({ request }) => {
        const invited = room(request.userId, request.roomId);
        invited.readers = [
          ...(invited.readers ?? []),
          { userId: request.invitee, membership: "invited", devices: [] },
        ];
        return null;
      },
    },
    messaging_join_room: {
      handle: ({ request }) => {
        const joined = room(request.userId, request.roomId);
        joined.membership = "joined";
        return info(joined);
      },
    },
    messaging_leave_room: {
      handle: ({ request }) => {
        room(request.userId, request.roomId).membership = "left";
        return null;
      },
    },
    messaging_send_text: {
      handle: ({ request }) => {
        const eventId = `$sent-${next++}`;
        room(request.userId, request.roomId).messages.push(
          sampleMessage(eventId, request.userId, request.text, {}, 30),
        );
        return { status: state.sendStatus, roomId: request.roomId, eventId };
      },
    },
    messaging_send_file: {
      handle: async ({ request }) => {
        await state.sending;
        const eventId = `$sent-${next++}`;
        const name = request.path.split(/[\\/]/).at(-1) ?? request.path;
        room(request.userId, request.roomId).messages.push(
          sampleMessage(
            eventId,
            request.userId,
            name,
            {
              kind: IMAGE_NAME.test(name) ? "image" : "file",
            },
            31,
          ),
        );
        return { status: state.sendStatus, roomId: request.roomId, eventId };
      },
    },
    messaging_get_image: {
      handle: ({ request }) => state.images.get(request.eventId) ?? null,
    },
    messaging_list_readers: {
      handle: ({ request }) => room(request.userId, request.roomId).readers ?? [],
    },
    messaging_acknowledge_device: {
      handle: ({ request }) => {
        for (const known of state.rooms.get(request.userId) ?? []) {
          const owner = known.readers?.find((reader) => reader.userId === request.owner);
          const device = owner?.devices.find((found) => found.deviceId === request.deviceId);
          if (device) device.isNew = false;
        }
        return null;
      },
    },
    messaging_load_older: {
      handle: ({ request }) => {
        const paged = room(request.userId, request.roomId);
        const page = (paged.older ?? []).splice(0, OLDER_PAGE);
        paged.messages.unshift(...page.reverse());
        return page.length;
      },
    },
    messaging_search_messages: {
      handle: ({ request }) => {
        const words = request.query.toLowerCase().split(/\s+/).filter(Boolean);
        return roomsOf(request.userId)
          .flatMap((known) =>
            known.messages.map((message) => ({ ...message, roomId: known.roomId })),
          )
          .filter((message) =>
            words.every((word) =>
              (message.body ?? "")
                .toLowerCase()
                .split(/\W+/)
                .some((found) => found.startsWith(word)),
            ),
          )
          .slice(0, request.limit);
      },
    },
    messaging_get_notifications: {
      handle: ({ request }) => ({
        doNotDisturb: state.doNotDisturb,
        rooms: [...levelsOf(request.userId)].map(([roomId, level]) => ({ roomId, level })),
      }),
    },
    messaging_set_room_notifications: {
      handle: ({ request }) => {
        if (request.level === "all") levelsOf(request.userId).delete(request.roomId);
        else levelsOf(request.userId).set(request.roomId, request.level);
        return null;
      },
    },
    messaging_set_do_not_disturb: {
      handle: ({ request }) => {
        state.doNotDisturb = request.enabled;
        return null;
      },
    },
    messaging_start_verification: {
      handle: ({ request }) => {
        const started = sampleVerification(`txn-${next++}`, {
          otherUser: request.owner,
          otherDevice: request.deviceId,
        });
        verificationsOf(request.userId).push(started);
        return copy(started);
      },
    },
    messaging_accept_verification: {
      handle: ({ request }) => {
        const accepted = verification(request.userId, request.transactionId);
        if (accepted.step === "incoming") accepted.step = "started";
        return copy(accepted);
      },
    },
    messaging_confirm_verification: {
      handle: ({ request }) => {
        const confirmed = verification(request.userId, request.transactionId);
        if (confirmed.step === "compare") confirmed.step = "confirmed";
        return copy(confirmed);
      },
    },
    messaging_cancel_verification: {
      handle: ({ request }) => {
        const cancelled = verification(request.userId, request.transactionId);
        Object.assign(cancelled, {
          step: "cancelled",
          emojis: [],
          decimals: [],
          cancelCode: request.mismatch ? "m.mismatched_sas" : "m.user",
          cancelReason: request.mismatch
            ? "The short authentication strings did not match"
            : "The user cancelled the verification",
          cancelledByUs: true,
        });
        return copy(cancelled);
      },
    },
    messaging_list_verifications: {
      handle: ({ request }) => verificationsOf(request.userId).map(copy),
    },
  };
  return { shell, state, room, verification };
}
