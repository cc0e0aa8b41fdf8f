// The licences a copy (or a combination) may carry, in the order the picker offers them.

import type { LicenceChoice } from "../../api";

export type OrderedChoices = { recommended: LicenceChoice[]; more: LicenceChoice[] };

/** Recommended licences first, the others under "more choices"; each keeps the shell's order. */
export function orderChoices(allowed: readonly LicenceChoice[]): OrderedChoices {
  return {
    recommended: allowed.filter((choice) => choice.recommended),
    more: allowed.filter((choice) => !choice.recommended),
  };
}

/** The licence picked at first: the suggested one when allowed, else the first recommended. */
export function initialChoice(
  allowed: readonly LicenceChoice[],
  suggested: string | null,
): string | null {
  if (suggested !== null && allowed.some((choice) => choice.id === suggested)) return suggested;
  const { recommended, more } = orderChoices(allowed);
  return recommended[0]?.id ?? more[0]?.id ?? null;
}

/** Whether "more choices" starts open: when what is picked is among them. */
export function showsMore(allowed: readonly LicenceChoice[], picked: string | null): boolean {
  return orderChoices(allowed).more.some((choice) => choice.id === picked);
}
