// What the UI needs to know about a licence id as the library stores it (an SPDX id such as
// `CC-BY-SA-4.0`, or `public-domain`, `all-rights-reserved`, `unknown`): its kind, its Creative
// Commons elements, its short name and the page that explains it.

import { t, type PlainMessageKey } from "../../i18n";

/** The Creative Commons icons, in the order Creative Commons shows them. */
export type CcElement = "by" | "sa" | "nc" | "nd" | "zero" | "pd";

/** The six Creative Commons licences, by the code in their URLs. */
export type CcCode = "by" | "by-sa" | "by-nc" | "by-nc-sa" | "by-nd" | "by-nc-nd";

export type LicenceInfo =
  | {
      kind: "creativeCommons";
      id: string;
      code: CcCode;
      version: string;
      elements: CcElement[];
      shortName: string;
      url: string;
    }
  | { kind: "cc0"; id: string; elements: CcElement[]; shortName: string; url: string }
  | { kind: "publicDomain"; id: string; elements: CcElement[]; url: string }
  | { kind: "other"; id: string; url: string }
  | { kind: "allRightsReserved"; id: string }
  | { kind: "unknown"; id: string };

export const UNKNOWN_LICENCE = "unknown";

const CC_VERSIONS = ["1.0", "2.0", "2.5", "3.0", "4.0"];

const CC_ELEMENTS: Record<CcCode, CcElement[]> = {
  by: ["by"],
  "by-sa": ["by", "sa"],
  "by-nc": ["by", "nc"],
  "by-nc-sa": ["by", "nc", "sa"],
  "by-nd": ["by", "nd"],
  "by-nc-nd": ["by", "nc", "nd"],
};

function isCcCode(code: string): code is CcCode {
  return Object.hasOwn(CC_ELEMENTS, code);
}

/** `CC-BY-NC-SA-4.0`, also with a jurisdiction port (`CC-BY-3.0-DE`), which links the unported deed. */
const CC_PATTERN = /^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)(?:-[A-Z]{2,3})?$/i;

/** SPDX ids are letters, digits, dots, dashes and plus signs; anything else is not linked. */
const SPDX_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

export function describeLicence(raw: string): LicenceInfo {
  const id = raw.trim();
  const lower = id.toLowerCase();
  if (lower === "" || lower === UNKNOWN_LICENCE) return { kind: "unknown", id: UNKNOWN_LICENCE };
  if (lower === "all-rights-reserved") return { kind: "allRightsReserved", id };
  if (lower === "public-domain") {
    return {
      kind: "publicDomain",
      id,
      elements: ["pd"],
      url: "https://creativecommons.org/publicdomain/mark/1.0/",
    };
  }
  if (lower === "cc0-1.0") {
    return {
      kind: "cc0",
      id,
      elements: ["zero"],
      shortName: "CC0 1.0",
      url: "https://creativecommons.org/publicdomain/zero/1.0/",
    };
  }
  const cc = CC_PATTERN.exec(id);
  if (cc) {
    const code = (cc[1] ?? "").toLowerCase();
    const version = cc[2] ?? "";
    if (isCcCode(code) && CC_VERSIONS.includes(version)) {
      // Version 1.0 wrote NoDerivs before NonCommercial, in its name and in its URL.
      const deedCode = code === "by-nc-nd" && version === "1.0" ? "by-nd-nc" : code;
      return {
        kind: "creativeCommons",
        id,
        code,
        version,
        elements: CC_ELEMENTS[code],
        shortName: `CC ${deedCode.toUpperCase()} ${version}`,
        url: `https://creativecommons.org/licenses/${deedCode}/${version}/`,
      };
    }
  }
  if (SPDX_ID_PATTERN.test(id)) {
    return { kind: "other", id, url: `https://spdx.org/licenses/${id}.html` };
  }
  return { kind: "unknown", id };
}

/**
 * Whether the licence lets the resource be shared as an open educational resource as it is.
 * All rights reserved and unknown need someone to check first.
 */
export function isOpenLicence(info: LicenceInfo): boolean {
  return info.kind !== "allRightsReserved" && info.kind !== "unknown";
}

/** The licence's elements as icons; none for licences that have no Creative Commons icons. */
export function licenceElements(info: LicenceInfo): CcElement[] {
  return "elements" in info ? info.elements : [];
}

export const ELEMENT_LABELS: Record<CcElement, PlainMessageKey> = {
  by: "licence.element.by",
  sa: "licence.element.sa",
  nc: "licence.element.nc",
  nd: "licence.element.nd",
  zero: "licence.element.zero",
  pd: "licence.element.pd",
};

const CC_NAMES: Record<CcCode, PlainMessageKey> = {
  by: "licence.name.by",
  "by-sa": "licence.name.bySa",
  "by-nc": "licence.name.byNc",
  "by-nc-sa": "licence.name.byNcSa",
  "by-nd": "licence.name.byNd",
  "by-nc-nd": "licence.name.byNcNd",
};

const CC_SUMMARIES: Record<CcCode, PlainMessageKey> = {
  by: "licence.summary.by",
  "by-sa": "licence.summary.bySa",
  "by-nc": "licence.summary.byNc",
  "by-nc-sa": "licence.summary.byNcSa",
  "by-nd": "licence.summary.byNd",
  "by-nc-nd": "licence.summary.byNcNd",
};

/** The licence's full name, translated: "Creative Commons Attribution-ShareAlike 4.0". */
export function licenceName(info: LicenceInfo): string {
  switch (info.kind) {
    case "creativeCommons":
      return t(CC_NAMES[info.code], { version: info.version });
    case "cc0":
      return t("licence.name.cc0");
    case "publicDomain":
      return t("licence.name.publicDomain");
    case "other":
      return info.id;
    case "allRightsReserved":
      return t("licence.name.allRightsReserved");
    case "unknown":
      return t("licence.name.unknown");
  }
}

/** The short form for badges and lists: "CC BY-SA 4.0", "MIT", "Unknown licence". */
export function licenceShortName(info: LicenceInfo): string {
  switch (info.kind) {
    case "creativeCommons":
    case "cc0":
      return info.shortName;
    case "publicDomain":
      return t("licence.short.publicDomain");
    case "other":
      return info.id;
    case "allRightsReserved":
      return t("licence.short.allRightsReserved");
    case "unknown":
      return t("licence.short.unknown");
  }
}

/** What the licence lets a teacher do, in plain words; a warning for the closed and unknown. */
export function licenceSummary(info: LicenceInfo): string {
  switch (info.kind) {
    case "creativeCommons":
      return t(CC_SUMMARIES[info.code]);
    case "cc0":
      return t("licence.summary.cc0");
    case "publicDomain":
      return t("licence.summary.publicDomain");
    case "other":
      return t("licence.summary.other");
    case "allRightsReserved":
      return t("licence.warning.allRightsReserved");
    case "unknown":
      return t("licence.warning.unknown");
  }
}

/** The licences offered when editing, most open first; the current one is added if missing. */
export const EDITABLE_LICENCES = {
  creativeCommons: [
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0",
    "CC0-1.0",
    "public-domain",
  ],
  other: ["all-rights-reserved", UNKNOWN_LICENCE],
} as const;
