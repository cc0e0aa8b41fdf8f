// How conversations, connections and message times are named in the window.

import type { Connection, RoomInfo } from "../../api";
import { getLocale, type PlainMessageKey } from "../../i18n";

/** A conversation's name: the other person for a direct one, else its name, else its id. */
export function roomLabel(room: RoomInfo): string {
  return room.directWith ?? room.name ?? room.roomId;
}

export const CONNECTION_LABELS: Record<Connection, PlainMessageKey> = {
  online: "conversations.connection.online",
  connecting: "conversations.connection.connecting",
  offline: "conversations.connection.offline",
  signedOut: "conversations.connection.signedOut",
};

/** What a person can do about a connection that is not online, or null when there is nothing. */
export const CONNECTION_HINTS: Record<Connection, PlainMessageKey | null> = {
  online: null,
  connecting: null,
  offline: "conversations.connection.offlineHint",
  signedOut: "conversations.connection.signedOutHint",
};

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  );
}

/** When a message was sent: the time alone for today's, the day and time for older ones. */
export function messageTime(timestamp: number, now: number = Date.now()): string {
  const options: Intl.DateTimeFormatOptions = sameDay(new Date(timestamp), new Date(now))
    ? { timeStyle: "short" }
    : { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(getLocale(), options).format(timestamp);
}

/** The full moment, for the tooltip of a message's time. */
export function messageMoment(timestamp: number): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: "full", timeStyle: "short" }).format(
    timestamp,
  );
}

/** Whether `text` looks like a Matrix user id, `@name:server`. */
export function isUserId(text: string): boolean {
  return /^@[^\s:]+:\S+$/.test(text);
}
