import { describe, expect, it } from "vitest";
import { sampleResource } from "../../test/library";
import { changedFields, fieldSource, fieldValues, licenceField } from "./fields";

describe("changedFields", () => {
  const metadata = sampleResource("r", "Photosynthesis").metadata;
  const before = fieldValues(metadata);

  it("joins lists with semicolons for editing", () => {
    expect(before.creators).toBe("Ana Souza; Ben Okafor");
    expect(before.keywords).toBe("biology; plants");
  });

  it("is empty when nothing changed", () => {
    expect(changedFields(before, { ...before })).toEqual([]);
  });

  it("lists only the fields whose value changed, as typed", () => {
    const after = { ...before, title: "Light and leaves", language: "fr" };
    expect(changedFields(before, after)).toEqual([
      { field: "title", value: "Light and leaves" },
      { field: "language", value: "fr" },
    ]);
  });

  it("ignores spaces the library trims anyway", () => {
    const after = { ...before, title: " Photosynthesis ", creators: "Ana Souza;Ben Okafor;" };
    expect(changedFields(before, after)).toEqual([]);
  });

  it("counts clearing a field as a change", () => {
    expect(changedFields(before, { ...before, sourceUrl: "" })).toEqual([
      { field: "sourceUrl", value: "" },
    ]);
  });
});

describe("fieldSource", () => {
  it("treats fields not marked as edited as read from the file", () => {
    const metadata = { ...sampleResource("r", "T").metadata, sources: { title: "user" as const } };
    expect(fieldSource(metadata, "title")).toBe("user");
    expect(fieldSource(metadata, "licence")).toBe("extracted");
  });
});

describe("licenceField", () => {
  it("offers every licence for an original, and while the terms are not known", () => {
    expect(licenceField({ kind: "original" }, "CC-BY-4.0")).toEqual({ kind: "any" });
    expect(licenceField(null, "CC-BY-4.0")).toEqual({ kind: "any" });
  });

  it("offers a copy the allowed licences, recommended first, in the shell's order", () => {
    const terms = {
      kind: "limited" as const,
      allowed: [
        { id: "CC-BY-NC-4.0", recommended: false },
        { id: "CC-BY-4.0", recommended: true },
        { id: "CC-BY-NC-SA-4.0", recommended: false },
        { id: "CC-BY-SA-4.0", recommended: true },
      ],
    };
    expect(licenceField(terms, "cc-by-4.0")).toEqual({
      kind: "limited",
      recommended: ["CC-BY-4.0", "CC-BY-SA-4.0"],
      more: ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"],
      current: null,
    });
    expect(licenceField(terms, "unknown")).toMatchObject({ current: "unknown" });
  });

  it("fixes a private copy's licence, with the reason", () => {
    expect(
      licenceField({ kind: "private", licence: "unknown", reason: "Why." }, "unknown"),
    ).toEqual({ kind: "fixed", licence: "unknown", reason: "Why." });
  });
});
