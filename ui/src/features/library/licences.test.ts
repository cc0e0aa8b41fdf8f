import { describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import {
  describeLicence,
  isOpenLicence,
  licenceElements,
  licenceName,
  licenceShortName,
  licenceSummary,
} from "./licences";

describe("describeLicence", () => {
  it("reads the Creative Commons licences with their elements and deed", () => {
    const info = describeLicence("CC-BY-SA-4.0");
    expect(info).toMatchObject({
      kind: "creativeCommons",
      code: "by-sa",
      version: "4.0",
      shortName: "CC BY-SA 4.0",
      url: "https://creativecommons.org/licenses/by-sa/4.0/",
    });
    expect(licenceElements(info)).toEqual(["by", "sa"]);
    expect(licenceElements(describeLicence("CC-BY-NC-ND-3.0"))).toEqual(["by", "nc", "nd"]);
    expect(describeLicence("cc-by-nc-sa-2.5")).toMatchObject({
      url: "https://creativecommons.org/licenses/by-nc-sa/2.5/",
    });
  });

  it("links version 1.0's NoDerivs-NonCommercial deed by its own name", () => {
    expect(describeLicence("CC-BY-NC-ND-1.0")).toMatchObject({
      shortName: "CC BY-ND-NC 1.0",
      url: "https://creativecommons.org/licenses/by-nd-nc/1.0/",
    });
  });

  it("links a ported licence's unported deed", () => {
    expect(describeLicence("CC-BY-3.0-DE")).toMatchObject({
      kind: "creativeCommons",
      url: "https://creativecommons.org/licenses/by/3.0/",
    });
  });

  it("knows CC0 and the public domain", () => {
    expect(describeLicence("CC0-1.0")).toMatchObject({
      kind: "cc0",
      elements: ["zero"],
      url: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(describeLicence("public-domain")).toMatchObject({
      kind: "publicDomain",
      elements: ["pd"],
      url: "https://creativecommons.org/publicdomain/mark/1.0/",
    });
  });

  it("links other SPDX licences to their SPDX page", () => {
    expect(describeLicence("MIT")).toEqual({
      kind: "other",
      id: "MIT",
      url: "https://spdx.org/licenses/MIT.html",
    });
  });

  it("treats closed, missing and malformed licences as not open, with no link", () => {
    for (const id of ["all-rights-reserved", "unknown", "", "  ", "<b>CC</b>", "CC-BY-9.0 x"]) {
      const info = describeLicence(id);
      expect(isOpenLicence(info), id).toBe(false);
      expect("url" in info, id).toBe(false);
    }
    expect(describeLicence("").kind).toBe("unknown");
    expect(describeLicence("all-rights-reserved").kind).toBe("allRightsReserved");
    expect(isOpenLicence(describeLicence("CC-BY-ND-4.0"))).toBe(true);
  });
});

describe("licence words", () => {
  it("names licences in the current language", () => {
    const info = describeLicence("CC-BY-NC-SA-4.0");
    expect(licenceName(info)).toBe("Creative Commons Attribution-NonCommercial-ShareAlike 4.0");
    expect(licenceSummary(info)).toContain("non-commercial");
    setLocale("fr");
    expect(licenceName(info)).toBe(
      "Creative Commons Attribution – Pas d’utilisation commerciale – Partage dans les mêmes conditions 4.0",
    );
    expect(licenceShortName(describeLicence("unknown"))).toBe("Licence inconnue");
    expect(licenceShortName(info)).toBe("CC BY-NC-SA 4.0");
  });

  it("warns about closed and unknown licences", () => {
    expect(licenceSummary(describeLicence("unknown"))).toContain("Check where it came from");
    expect(licenceSummary(describeLicence("all-rights-reserved"))).toContain("rights holder");
  });
});
