// The licences the shell knows, as `licence_list_known` answers, built the way the licence crate
// builds them (CC0, the public domain, the thirty Creative Commons licences, some others, all
// rights reserved, unknown).

import type { LicenceInfo } from "../generated/ipc";

const VERSIONS = ["1.0", "2.0", "2.5", "3.0", "4.0"] as const;

const ELEMENTS = [
  { code: "BY", icons: ["by"], name: "Attribution" },
  { code: "BY-SA", icons: ["by", "sa"], name: "Attribution-ShareAlike" },
  { code: "BY-NC", icons: ["by", "nc"], name: "Attribution-NonCommercial" },
  { code: "BY-NC-SA", icons: ["by", "nc", "sa"], name: "Attribution-NonCommercial-ShareAlike" },
  { code: "BY-ND", icons: ["by", "nd"], name: "Attribution-NoDerivatives" },
  { code: "BY-NC-ND", icons: ["by", "nc", "nd"], name: "Attribution-NonCommercial-NoDerivatives" },
] as const;

function scope(version: string): string {
  return version === "4.0" ? "International" : version === "3.0" ? "Unported" : "Generic";
}

export const knownLicences: LicenceInfo[] = [
  {
    id: "CC0-1.0",
    name: "CC0 1.0 Universal",
    shortName: "CC0 1.0",
    deedUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    icons: ["zero"],
    isOpen: true,
  },
  {
    id: "public-domain",
    name: "Public Domain Mark 1.0",
    shortName: "Public Domain",
    deedUrl: "https://creativecommons.org/publicdomain/mark/1.0/",
    icons: ["pd"],
    isOpen: true,
  },
  ...VERSIONS.flatMap((version) =>
    ELEMENTS.map((element): LicenceInfo => ({
      id: `CC-${element.code}-${version}`,
      name: `Creative Commons ${element.name} ${version} ${scope(version)}`,
      shortName: `CC ${element.code} ${version}`,
      deedUrl: `https://creativecommons.org/licenses/${element.code.toLowerCase()}/${version}/`,
      icons: [...element.icons],
      isOpen: true,
    })),
  ),
  {
    id: "MIT",
    name: "MIT License",
    shortName: "MIT",
    deedUrl: null,
    icons: [],
    isOpen: true,
  },
  {
    id: "OGL-UK-3.0",
    name: "Open Government Licence v3.0",
    shortName: "OGL-UK-3.0",
    deedUrl: null,
    icons: [],
    isOpen: true,
  },
  {
    id: "all-rights-reserved",
    name: "All rights reserved",
    shortName: "All rights reserved",
    deedUrl: null,
    icons: [],
    isOpen: false,
  },
  {
    id: "unknown",
    name: "Unknown licence",
    shortName: "Unknown licence",
    deedUrl: null,
    icons: [],
    isOpen: false,
  },
];
