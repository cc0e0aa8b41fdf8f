// Looking up, pluralising and filling in messages. Pure functions of (locale, key, params), so
// they are tested without a DOM; `locale.svelte.ts` holds the current locale.

import { en } from "./locales/en";
import { es } from "./locales/es";
import { fr } from "./locales/fr";
import { ja } from "./locales/ja";
import { pt } from "./locales/pt";
import type { Catalogue, Message, MessageKey, Params } from "./types";

export const LOCALES = ["en", "fr", "es", "pt", "ja"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export const catalogues: Record<Locale, Catalogue> = { en, fr, es, pt, ja };

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported locale among the user's preferences, matched on the language subtag
 * (`pt-BR` and `pt-PT` both get `pt`), or English.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
    if (isLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}

/** Replaces `{name}` with the parameter, numbers formatted for the locale. Unknown names stay. */
export function interpolate(template: string, params: Params | undefined, locale: Locale): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    if (value === undefined) return placeholder;
    return typeof value === "number" ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

function lookup(locale: Locale, key: MessageKey): Message {
  // The types make a missing key impossible, but a catalogue edited by hand and loaded at run
  // time should degrade to English rather than show a raw key.
  return catalogues[locale][key] ?? catalogues[DEFAULT_LOCALE][key] ?? key;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const message = lookup(locale, key);
  if (typeof message === "string") return interpolate(message, params, locale);
  const count = typeof params?.["count"] === "number" ? params["count"] : 0;
  const category = new Intl.PluralRules(locale).select(count);
  return interpolate(message[category] ?? message.other, params, locale);
}
