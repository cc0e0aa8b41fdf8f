// The translation layer: every string a person sees goes through `t`.

export { getLocale, initLocale, setLocale, t } from "./locale.svelte";
export {
  catalogues,
  DEFAULT_LOCALE,
  interpolate,
  isLocale,
  LOCALES,
  pickLocale,
  translate,
  type Locale,
} from "./translate";
export type { Catalogue, MessageKey, Params, PlainMessageKey, PluralForms } from "./types";
