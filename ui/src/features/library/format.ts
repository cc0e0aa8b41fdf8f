// Sizes, dates, languages and file kinds, formatted for the current locale.

import type { IconName } from "../../components/Icon.svelte";
import { getLocale, t, type PlainMessageKey } from "../../i18n";

const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** "1.4 MB", "820 kB", "12 bytes": decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(getLocale(), {
    style: "unit",
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** A day, as in lists: "3 May 2024". */
export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: "medium" }).format(ms);
}

/** A moment, as in details: "3 May 2024, 14:05". */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: "long", timeStyle: "short" }).format(ms);
}

/** "French" for `fr`, "Portuguese (Brazil)" for `pt-BR`; the tag itself when it is not one. */
export function languageName(tag: string): string {
  if (tag.trim() === "") return "";
  try {
    return new Intl.DisplayNames([getLocale()], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(getLocale()).format(value);
}

/**
 * A stretch of time still to come, as a person would round it: to 5 seconds under a minute, to
 * minutes under an hour, and to hours after that ("40 seconds", "3 minutes", "2 hours").
 */
export function formatDuration(seconds: number): string {
  const spell = (value: number, unit: "second" | "minute" | "hour") =>
    new Intl.NumberFormat(getLocale(), { style: "unit", unit, unitDisplay: "long" }).format(value);
  if (seconds < 60) return spell(Math.max(5, Math.ceil(seconds / 5) * 5), "second");
  if (seconds < 3600) return spell(Math.ceil(seconds / 60), "minute");
  return spell(Math.round(seconds / 3600), "hour");
}

/** Joins names as the locale lists them: "Ana, Ben and Chloé". */
export function formatList(parts: string[]): string {
  return new Intl.ListFormat(getLocale(), { type: "conjunction", style: "long" }).format(parts);
}

export type MediaKind =
  | "pdf"
  | "document"
  | "presentation"
  | "spreadsheet"
  | "webpage"
  | "text"
  | "ebook"
  | "interactive"
  | "image"
  | "audio"
  | "video"
  | "archive"
  | "data"
  | "other";

const EXACT: Record<string, MediaKind> = {
  "application/pdf": "pdf",
  "application/epub+zip": "ebook",
  "application/zip+h5p": "interactive",
  "application/zip": "archive",
  "application/json": "data",
  "text/csv": "data",
  "text/html": "webpage",
  "application/xhtml+xml": "webpage",
  "text/plain": "text",
  "text/markdown": "text",
  "application/msword": "document",
  "application/rtf": "document",
  "application/vnd.ms-powerpoint": "presentation",
  "application/vnd.ms-excel": "spreadsheet",
};

export function mediaKind(mediaType: string): MediaKind {
  const type = mediaType.toLowerCase().split(";")[0]?.trim() ?? "";
  const exact = EXACT[type];
  if (exact) return exact;
  if (type.includes("wordprocessingml") || type.includes("opendocument.text")) return "document";
  if (type.includes("presentation")) return "presentation";
  if (type.includes("spreadsheet")) return "spreadsheet";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("text/")) return "text";
  return "other";
}

export const MEDIA_LABELS: Record<MediaKind, PlainMessageKey> = {
  pdf: "media.pdf",
  document: "media.document",
  presentation: "media.presentation",
  spreadsheet: "media.spreadsheet",
  webpage: "media.webpage",
  text: "media.text",
  ebook: "media.ebook",
  interactive: "media.interactive",
  image: "media.image",
  audio: "media.audio",
  video: "media.video",
  archive: "media.archive",
  data: "media.data",
  other: "media.other",
};

export const MEDIA_ICONS: Record<MediaKind, IconName> = {
  pdf: "file-pdf",
  document: "file-text",
  presentation: "presentation",
  spreadsheet: "table",
  webpage: "globe",
  text: "text-lines",
  ebook: "book",
  interactive: "sparkles",
  image: "image",
  audio: "music",
  video: "video",
  archive: "package",
  data: "table",
  other: "file",
};

export function mediaLabel(mediaType: string): string {
  return t(MEDIA_LABELS[mediaKind(mediaType)]);
}
