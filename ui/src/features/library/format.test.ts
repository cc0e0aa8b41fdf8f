import { describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import {
  formatBytes,
  formatDuration,
  formatList,
  languageName,
  mediaKind,
  mediaLabel,
} from "./format";

describe("formatBytes", () => {
  it("uses decimal units with at most one decimal", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(999)).toBe("999 bytes");
    expect(formatBytes(1_000)).toBe("1 kB");
    expect(formatBytes(820_400)).toBe("820 kB");
    expect(formatBytes(2_400_000)).toBe("2.4 MB");
    expect(formatBytes(3_210_000_000)).toBe("3.2 GB");
  });

  it("follows the locale", () => {
    setLocale("fr");
    expect(formatBytes(2_400_000).replace(/\s/g, " ")).toBe("2,4 Mo");
  });
});

describe("formatDuration", () => {
  it("rounds up to what a person would say", () => {
    expect(formatDuration(0.4)).toBe("5 seconds");
    expect(formatDuration(31)).toBe("35 seconds");
    expect(formatDuration(60)).toBe("1 minute");
    expect(formatDuration(61)).toBe("2 minutes");
    expect(formatDuration(3599)).toBe("60 minutes");
    expect(formatDuration(2 * 3600 + 100)).toBe("2 hours");
  });

  it("follows the locale", () => {
    setLocale("ja");
    expect(formatDuration(600)).toBe("10 分");
    setLocale("es");
    expect(formatDuration(600)).toBe("10 minutos");
  });
});

describe("languageName", () => {
  it("names languages in the current locale and keeps what is not a tag", () => {
    expect(languageName("fr")).toBe("French");
    expect(languageName("pt-BR")).toBe("Brazilian Portuguese");
    expect(languageName("")).toBe("");
    expect(languageName("not a tag!")).toBe("not a tag!");
    setLocale("es");
    expect(languageName("fr")).toBe("francés");
  });
});

describe("media kinds", () => {
  it("groups media types into kinds a teacher recognises", () => {
    expect(mediaKind("application/pdf")).toBe("pdf");
    expect(
      mediaKind("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ).toBe("presentation");
    expect(mediaKind("application/vnd.oasis.opendocument.text")).toBe("document");
    expect(mediaKind("text/html; charset=utf-8")).toBe("webpage");
    expect(mediaKind("image/png")).toBe("image");
    expect(mediaKind("application/octet-stream")).toBe("other");
    expect(mediaLabel("application/zip+h5p")).toBe("Interactive (H5P)");
  });
});

describe("formatList", () => {
  it("lists names as the locale joins them", () => {
    expect(formatList(["Ana", "Ben", "Chloé"])).toBe("Ana, Ben, and Chloé");
    setLocale("pt");
    expect(formatList(["Ana", "Ben"])).toBe("Ana e Ben");
  });
});

describe("mayHaveThumbnail", () => {
  it("asks for images, book covers, PDFs and office documents only", async () => {
    const { mayHaveThumbnail } = await import("./thumbnails");
    expect(mayHaveThumbnail("image/png")).toBe(true);
    expect(mayHaveThumbnail("application/epub+zip")).toBe(true);
    expect(mayHaveThumbnail("application/pdf")).toBe(true);
    expect(mayHaveThumbnail("application/vnd.oasis.opendocument.presentation")).toBe(true);
    expect(
      mayHaveThumbnail("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ).toBe(true);
    expect(mayHaveThumbnail("text/markdown")).toBe(false);
    expect(mayHaveThumbnail("text/csv")).toBe(false);
  });
});
