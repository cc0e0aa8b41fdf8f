import { describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import { knownLicences as sampleLicences } from "../../test/licences";
import { ipcError, mockShell } from "../../test/shell";
import {
  describeLicence,
  isOpenLicence,
  knownLicences,
  licenceElements,
  licenceGroups,
  licenceName,
  licenceShortName,
  licenceSummary,
  loadLicences,
} from "./licences.svelte";

describe("the licence list", () => {
  it("is asked for once, and its names and deeds are the shell's", async () => {
    const calls = mockShell({
      licence_list_known: {
        ok: [
          {
            id: "CC-BY-SA-4.0",
            name: "Named by the licence crate",
            shortName: "CC BY-SA 4.0",
            deedUrl: "https://creativecommons.org/licenses/by-sa/4.0/",
            icons: ["by", "sa"],
            isOpen: true,
          },
        ],
      },
    });
    await loadLicences();
    await loadLicences();
    expect(calls.filter((command) => command === "licence_list_known")).toHaveLength(1);

    const licence = describeLicence("cc-by-sa-4.0");
    expect(licence).toMatchObject({ id: "CC-BY-SA-4.0", known: true, isOpen: true });
    expect(licenceName(licence)).toBe("Named by the licence crate");
    expect(licenceShortName(licence)).toBe("CC BY-SA 4.0");
    expect(licence.deedUrl).toBe("https://creativecommons.org/licenses/by-sa/4.0/");
    expect(licenceElements(licence)).toEqual(["by", "sa"]);
  });

  it("shows an id it does not know by the id, as not open, with a warning", async () => {
    mockShell();
    await loadLicences();
    for (const id of ["CC-BY-9.0", "<b>CC</b>", "Beerware"]) {
      const licence = describeLicence(id);
      expect(licence.known, id).toBe(false);
      expect(isOpenLicence(licence), id).toBe(false);
      expect(licence.deedUrl, id).toBeNull();
      expect(licenceShortName(licence), id).toBe(id);
      expect(licenceName(licence), id).toBe("Licence not recognised");
      expect(licenceSummary(licence), id).toContain("doesn’t recognise this licence");
    }
    expect(describeLicence("").id).toBe("unknown");
    expect(describeLicence("  ").known).toBe(true);
  });

  it("falls back to ids when the list cannot be loaded, and asks again next time", async () => {
    const calls = mockShell({ licence_list_known: ipcError("internal", "no licence crate") });
    await loadLicences();
    const licence = describeLicence("CC-BY-4.0");
    expect(licenceName(licence)).toBe("CC-BY-4.0");
    expect(isOpenLicence(licence)).toBe(false);

    await loadLicences();
    expect(calls.filter((command) => command === "licence_list_known")).toHaveLength(2);
  });

  it("groups the picker: CC 4.0, earlier versions, public domain, other open, then closed", async () => {
    mockShell();
    await loadLicences();
    const groups = licenceGroups(knownLicences());
    expect(groups.map((group) => group.label)).toEqual([
      "edit.licenceGroup.current",
      "edit.licenceGroup.earlier",
      "edit.licenceGroup.publicDomain",
      "edit.licenceGroup.other",
      "edit.licenceGroup.closed",
    ]);
    const ids = groups.map((group) => group.licences.map((licence) => licence.id));
    expect(ids[0]).toEqual([
      "CC-BY-4.0",
      "CC-BY-SA-4.0",
      "CC-BY-NC-4.0",
      "CC-BY-NC-SA-4.0",
      "CC-BY-ND-4.0",
      "CC-BY-NC-ND-4.0",
    ]);
    expect(ids[1]?.slice(0, 2)).toEqual(["CC-BY-3.0", "CC-BY-SA-3.0"]);
    expect(ids[1]?.at(-1)).toBe("CC-BY-NC-ND-1.0");
    expect(ids[1]).toHaveLength(24);
    expect(ids[2]).toEqual(["CC0-1.0", "public-domain"]);
    expect(ids[3]).toEqual(["MIT", "OGL-UK-3.0"]);
    expect(ids[4]).toEqual(["all-rights-reserved", "unknown"]);
    expect(groups.flatMap((group) => group.licences)).toHaveLength(sampleLicences.length);
  });
});

describe("licence words", () => {
  it("says what a licence allows from its icons, in the current language", async () => {
    mockShell();
    await loadLicences();
    const licence = describeLicence("CC-BY-NC-SA-4.0");
    expect(licenceSummary(licence)).toContain("non-commercial");
    expect(licenceSummary(describeLicence("CC0-1.0"))).toContain("gave up their rights");
    expect(licenceSummary(describeLicence("MIT"))).toContain("An open licence");
    setLocale("fr");
    expect(licenceSummary(licence)).toContain("non commerciales");
    expect(licenceShortName(describeLicence("unknown"))).toBe("Licence inconnue");
    expect(licenceShortName(describeLicence("public-domain"))).toBe("Domaine public");
    expect(licenceShortName(licence)).toBe("CC BY-NC-SA 4.0");
  });

  it("warns about closed and unknown licences", async () => {
    mockShell();
    await loadLicences();
    expect(licenceSummary(describeLicence("unknown"))).toContain("Check where it came from");
    expect(licenceSummary(describeLicence("all-rights-reserved"))).toContain("rights holder");
    expect(licenceName(describeLicence("all-rights-reserved"))).toBe("All rights reserved");
    expect(isOpenLicence(describeLicence("all-rights-reserved"))).toBe(false);
  });
});
