import { describe, expect, it } from "vitest";
import { privateReason, sharer } from "./wording";

describe("privateReason", () => {
  it("says why by the licence a private copy keeps", () => {
    expect(privateReason("unknown")).toBe("lineage.private.reason.unknown");
    expect(privateReason("")).toBe("lineage.private.reason.unknown");
    expect(privateReason("All-Rights-Reserved")).toBe("lineage.private.reason.allRightsReserved");
    expect(privateReason("CC-BY-ND-4.0")).toBe("lineage.private.reason.noDerivatives");
    expect(privateReason("CC-BY-NC-ND-3.0")).toBe("lineage.private.reason.noDerivatives");
  });

  it("leaves other licences to the shell's own reason", () => {
    expect(privateReason("CC-BY-4.0")).toBeNull();
    expect(privateReason("MIT")).toBeNull();
  });
});

describe("sharer", () => {
  it("takes the shell's English words off a conversation's label", () => {
    expect(sharer("shared by @ana:example.org")).toBe("@ana:example.org");
    expect(sharer("Shared by  @ana:example.org ")).toBe("@ana:example.org");
  });

  it("keeps a label in any other form as it is", () => {
    expect(sharer("@ana:example.org")).toBe("@ana:example.org");
    expect(sharer("shared by")).toBe("shared by");
  });
});
