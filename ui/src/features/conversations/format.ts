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

/** Whether a conversation is a group: named, and not a direct one with one person. */
export function isGroup(room: RoomInfo): boolean {
  return room.directWith === null && room.name !== null;
}

/** A piece of a message's text, and whether it is what a search matched. */
export type TextPart = { text: string; matched: boolean };

// Words as the search counts them: runs of letters (with their accents) and digits.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Splits `text` so that the words `query` matched can be highlighted: the search finds words
 * that begin with the words typed, ignoring case and accents, so those beginnings are the parts
 * marked. Only ever plain text, to be shown as text.
 */
export function highlightMatches(text: string, query: string): TextPart[] {
  const wanted = [...new Set(query.match(WORD) ?? [])].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return text === "" ? [] : [{ text, matched: false }];
  const same = new Intl.Collator(getLocale(), { sensitivity: "base", usage: "search" });
  const parts: TextPart[] = [];
  let shown = 0;
  for (const word of text.matchAll(WORD)) {
    const found = wanted.find(
      (start) =>
        start.length <= word[0].length && same.compare(word[0].slice(0, start.length), start) === 0,
    );
    if (found === undefined) continue;
    const at = word.index;
    if (at > shown) parts.push({ text: text.slice(shown, at), matched: false });
    parts.push({ text: text.slice(at, at + found.length), matched: true });
    shown = at + found.length;
  }
  if (shown < text.length) parts.push({ text: text.slice(shown), matched: false });
  return parts;
}

/** The last part of a path, whichever separator it uses: the name of a file being sent. */
export function fileNameOf(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((part) => part !== "")
      .at(-1) ?? path
  );
}

/** Longest name the save dialog is offered; longer ones keep their end (the extension). */
const LONGEST_NAME = 120;

/**
 * The name the save dialog offers for an attachment: the name it was sent with, but without
 * folders, leading dots or characters file systems refuse (it came from someone else's computer),
 * or `fallback` when nothing is left.
 */
export function attachmentFileName(name: string | null, fallback: string): string {
  const cleaned = fileNameOf(name ?? "")
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+/, "")
    .trim();
  if (cleaned === "") return fallback;
  if (cleaned.length <= LONGEST_NAME) return cleaned;
  const extension = /\.[^.\s]{1,10}$/.exec(cleaned)?.[0] ?? "";
  return cleaned.slice(0, LONGEST_NAME - extension.length).trimEnd() + extension;
}
