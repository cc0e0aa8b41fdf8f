// The current locale, as reactive state: components that call `t` re-render when it changes.

import { DEFAULT_LOCALE, pickLocale, translate, type Locale } from "./translate";
import type { ArgsFor, MessageKey } from "./types";

const current = $state<{ locale: Locale }>({ locale: DEFAULT_LOCALE });

export function getLocale(): Locale {
  return current.locale;
}

/** Switches the UI language and tells the document, so screen readers and fonts follow. */
export function setLocale(locale: Locale): void {
  current.locale = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
}

/** Picks the locale from the system's preferred languages. */
export function initLocale(): Locale {
  const preferred =
    typeof navigator === "undefined"
      ? []
      : navigator.languages.length > 0
        ? navigator.languages
        : [navigator.language];
  const locale = pickLocale(preferred);
  setLocale(locale);
  return locale;
}

export function t<K extends MessageKey>(key: K, ...args: ArgsFor<K>): string {
  return translate(current.locale, key, args[0]);
}
