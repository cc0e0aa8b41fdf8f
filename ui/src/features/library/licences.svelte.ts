// The licences the library knows, as the shell describes them (`licence_list_known`): loaded once,
// then looked up by id for badges, the licence card and the picker. An id the list does not hold
// (written by an older version, or by hand) is still shown, by its id, and treated as not open.

import { listKnownLicences, type LicenceInfo } from "../../api";
import { t, type PlainMessageKey } from "../../i18n";

/** The Creative Commons icons, in the order Creative Commons shows them. */
export type CcElement = "by" | "sa" | "nc" | "nd" | "zero" | "pd";

const ELEMENTS: readonly CcElement[] = ["by", "sa", "nc", "nd", "zero", "pd"];

export const UNKNOWN_LICENCE = "unknown";
export const ALL_RIGHTS_RESERVED = "all-rights-reserved";
export const PUBLIC_DOMAIN = "public-domain";

/** A licence as the window shows it; `known` is false for an id the shell did not list. */
export type Licence = LicenceInfo & { known: boolean };

const store = $state<{ list: LicenceInfo[]; status: "idle" | "loading" | "ready" | "failed" }>({
  list: [],
  status: "idle",
});

let byId = new Map<string, LicenceInfo>();
let loading: Promise<void> | null = null;

/**
 * Loads the known licences once; later calls reuse them. Never rejects: without the list every
 * licence is shown by its id, and the next call tries again.
 */
export function loadLicences(): Promise<void> {
  if (store.status === "ready") return Promise.resolve();
  loading ??= (async () => {
    store.status = "loading";
    try {
      const list = await listKnownLicences();
      byId = new Map(list.map((licence) => [licence.id.toLowerCase(), licence]));
      store.list = list;
      store.status = "ready";
    } catch {
      store.status = "failed";
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** Forgets the list, so the next `loadLicences` asks the shell again (for tests). */
export function resetLicences(): void {
  store.list = [];
  store.status = "idle";
  byId = new Map();
  loading = null;
}

/** Every licence the shell knows, in its order. */
export function knownLicences(): LicenceInfo[] {
  return store.list;
}

/** Looks a stored licence id up; ids are matched without regard to case, as SPDX asks. */
export function describeLicence(raw: string): Licence {
  const id = raw.trim() === "" ? UNKNOWN_LICENCE : raw.trim();
  // Reading the list makes callers re-render once it arrives.
  void store.list;
  const found = byId.get(id.toLowerCase());
  if (found) return { ...found, known: true };
  const unknown = id.toLowerCase() === UNKNOWN_LICENCE;
  return {
    id: unknown ? UNKNOWN_LICENCE : id,
    name: id,
    shortName: id,
    deedUrl: null,
    icons: [],
    isOpen: false,
    known: unknown,
  };
}

/** Whether the licence lets the resource be shared as an open educational resource as it is. */
export function isOpenLicence(licence: Licence): boolean {
  return licence.known && licence.isOpen;
}

/** The licence's Creative Commons icons; none for licences without them. */
export function licenceElements(licence: Licence): CcElement[] {
  return licence.icons.filter((icon): icon is CcElement =>
    (ELEMENTS as readonly string[]).includes(icon),
  );
}

/** Commonplace's own ids are words, not names, so they are said in the window's language. */
const OWN_NAMES: Record<string, { name: PlainMessageKey | null; short: PlainMessageKey }> = {
  [UNKNOWN_LICENCE]: { name: "licence.name.unknown", short: "licence.short.unknown" },
  [ALL_RIGHTS_RESERVED]: {
    name: "licence.name.allRightsReserved",
    short: "licence.short.allRightsReserved",
  },
  [PUBLIC_DOMAIN]: { name: null, short: "licence.short.publicDomain" },
};

/** The full name: "Creative Commons Attribution-ShareAlike 4.0 International". */
export function licenceName(licence: Licence): string {
  const own = OWN_NAMES[licence.id.toLowerCase()]?.name;
  if (own) return t(own);
  // Without the list (it failed to load) nothing is known, and the id is the best name there is.
  if (!licence.known && store.status === "ready") return t("licence.name.unrecognised");
  return licence.name;
}

/** The short form for badges and menus: "CC BY-SA 4.0", "MIT", "Unknown licence". */
export function licenceShortName(licence: Licence): string {
  const own = OWN_NAMES[licence.id.toLowerCase()]?.short;
  return own ? t(own) : licence.shortName;
}

const SUMMARIES: Record<string, PlainMessageKey> = {
  by: "licence.summary.by",
  "by sa": "licence.summary.bySa",
  "by nc": "licence.summary.byNc",
  "by nc sa": "licence.summary.byNcSa",
  "by nd": "licence.summary.byNd",
  "by nc nd": "licence.summary.byNcNd",
  zero: "licence.summary.cc0",
  pd: "licence.summary.publicDomain",
};

/** What the licence lets a teacher do, in plain words; a warning for the closed and unknown. */
export function licenceSummary(licence: Licence): string {
  const id = licence.id.toLowerCase();
  if (id === UNKNOWN_LICENCE) return t("licence.warning.unknown");
  if (id === ALL_RIGHTS_RESERVED) return t("licence.warning.allRightsReserved");
  if (!licence.known) return t("licence.warning.unrecognised");
  const summary = SUMMARIES[licenceElements(licence).join(" ")];
  if (summary) return t(summary);
  return licence.isOpen ? t("licence.summary.other") : t("licence.warning.unknown");
}

export const ELEMENT_LABELS: Record<CcElement, PlainMessageKey> = {
  by: "licence.element.by",
  sa: "licence.element.sa",
  nc: "licence.element.nc",
  nd: "licence.element.nd",
  zero: "licence.element.zero",
  pd: "licence.element.pd",
};

export type LicenceGroup = { label: PlainMessageKey; licences: LicenceInfo[] };

function versionOf(licence: LicenceInfo): number {
  const match = /-(\d+(?:\.\d+)?)$/.exec(licence.id);
  return match ? Number(match[1]) : 0;
}

/**
 * The licences a person can choose when editing, grouped as the picker shows them: Creative
 * Commons 4.0, earlier Creative Commons versions (newest first), the public domain and CC0, other
 * open licences, then those that are not open or not known.
 */
export function licenceGroups(list: readonly LicenceInfo[]): LicenceGroup[] {
  const current: LicenceInfo[] = [];
  const earlier: LicenceInfo[] = [];
  const publicDomain: LicenceInfo[] = [];
  const other: LicenceInfo[] = [];
  const closed: LicenceInfo[] = [];
  for (const licence of list) {
    if (licence.icons.includes("by")) {
      (versionOf(licence) >= 4 ? current : earlier).push(licence);
    } else if (licence.icons.includes("zero") || licence.icons.includes("pd")) {
      publicDomain.push(licence);
    } else if (licence.isOpen) {
      other.push(licence);
    } else {
      closed.push(licence);
    }
  }
  // Newest versions first; within a version the shell's order (most open first) stays.
  earlier.sort((a, b) => versionOf(b) - versionOf(a));
  closed.sort((a, b) => Number(a.id === UNKNOWN_LICENCE) - Number(b.id === UNKNOWN_LICENCE));
  const groups: LicenceGroup[] = [
    { label: "edit.licenceGroup.current", licences: current },
    { label: "edit.licenceGroup.earlier", licences: earlier },
    { label: "edit.licenceGroup.publicDomain", licences: publicDomain },
    { label: "edit.licenceGroup.other", licences: other },
    { label: "edit.licenceGroup.closed", licences: closed },
  ];
  return groups.filter((group) => group.licences.length > 0);
}
