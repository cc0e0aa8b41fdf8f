// The shape of a message catalogue. English (`locales/en.ts`) defines the keys; every other
// locale is typed as `Catalogue`, so a missing, extra or misshapen entry fails `npm run check`.

import type { en } from "./locales/en";

/** Plural forms by `Intl.PluralRules` category; `other` is always required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export type Message = string | PluralForms;

export type MessageKey = keyof typeof en;

/** Keys of messages without plural forms, which need no `count`. */
export type PlainMessageKey = {
  [K in MessageKey]: (typeof en)[K] extends string ? K : never;
}[MessageKey];

/** A catalogue with the English keys, where plural messages stay plural and plain ones plain. */
export type Catalogue = {
  [K in MessageKey]: (typeof en)[K] extends string ? string : PluralForms;
};

export type Params = Record<string, string | number>;

/** Plural messages must be given a `count`; plain messages take optional parameters. */
export type ArgsFor<K extends MessageKey> = (typeof en)[K] extends string
  ? [params?: Params]
  : [params: Params & { count: number }];
