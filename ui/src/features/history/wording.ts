// The words the history features choose by kind: reasons, relations, outcomes, times.

import type { BundleOutcome, MergeRelation, NotShareableCode, Resolution } from "../../api";
import { getLocale, type PlainMessageKey } from "../../i18n";
import { ALL_RIGHTS_RESERVED, UNKNOWN_LICENCE } from "../library/licences.svelte";

export const REASONS: Record<NotShareableCode, PlainMessageKey> = {
  noDerivatives: "fork.reason.noDerivatives",
  unknown: "fork.reason.unknown",
  allRightsReserved: "fork.reason.allRightsReserved",
};

export const RELATIONS: Record<MergeRelation, PlainMessageKey> = {
  source: "merge.relation.source",
  ancestor: "merge.relation.ancestor",
  copy: "merge.relation.copy",
  sibling: "merge.relation.sibling",
  incoming: "merge.relation.incoming",
};

/**
 * Why a private copy must stay private, said for what its licence is; null when the shell's own
 * reason (in English) is all there is to say.
 */
export function privateReason(licence: string): PlainMessageKey | null {
  const id = licence.trim().toLowerCase();
  if (id === UNKNOWN_LICENCE || id === "") return "lineage.private.reason.unknown";
  if (id === ALL_RIGHTS_RESERVED) return "lineage.private.reason.allRightsReserved";
  if (/(^|-)nd(-|$)/.test(id)) return "lineage.private.reason.noDerivatives";
  return null;
}

/**
 * Who shared a resource in a conversation, from the label the shell records for it. The shell
 * writes that label in English for its logs and command line ("shared by @ana:example.org"), so
 * the words are taken off here and said in the window's language instead.
 */
export function sharer(label: string): string {
  return label.replace(/^\s*shared by\s+/i, "").trim() || label;
}

export const OUTCOMES: Record<BundleOutcome, PlainMessageKey> = {
  added: "bundle.outcome.added",
  updated: "bundle.outcome.updated",
  upToDate: "bundle.outcome.upToDate",
  diverged: "bundle.outcome.diverged",
};

export const SETTLED: Record<Resolution["kind"], PlainMessageKey> = {
  ours: "merge.settled.ours",
  theirs: "merge.settled.theirs",
  both: "merge.settled.both",
  custom: "merge.settled.custom",
};

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/**
 * "5 minutes ago", "yesterday", "3 months ago", in the window's language; null under a minute
 * (the caller says "just now").
 */
export function relativeTime(ms: number, now: number = Date.now()): string | null {
  const elapsed = ms - now;
  const format = new Intl.RelativeTimeFormat(getLocale(), { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size) return format.format(Math.round(elapsed / size), unit);
  }
  return null;
}
