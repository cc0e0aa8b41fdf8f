import { afterEach, describe, expect, it } from "vitest";
import {
  catalogues,
  getLocale,
  initLocale,
  interpolate,
  LOCALES,
  pickLocale,
  setLocale,
  t,
  translate,
  type Catalogue,
  type MessageKey,
} from ".";

const placeholders = (text: string) => new Set(text.match(/\{\w+\}/g) ?? []);
const texts = (message: Catalogue[MessageKey]) =>
  typeof message === "string" ? [message] : Object.values(message);

describe("interpolate", () => {
  it("fills named placeholders", () => {
    expect(interpolate("{a} and {b}", { a: "x", b: "y" }, "en")).toBe("x and y");
  });

  it("formats numbers for the locale", () => {
    expect(interpolate("{count}", { count: 12345 }, "en")).toBe("12,345");
    expect(interpolate("{count}", { count: 12345 }, "fr")).toBe("12\u202f345");
  });

  it("leaves unknown placeholders visible rather than inventing a value", () => {
    expect(interpolate("Hello {name}", {}, "en")).toBe("Hello {name}");
  });

  it("returns the template unchanged without parameters", () => {
    expect(interpolate("{section} – Commonplace", undefined, "en")).toBe("{section} – Commonplace");
  });
});

describe("plurals", () => {
  it("uses one and other in English", () => {
    expect(translate("en", "library.resourceCount", { count: 1 })).toBe("1 resource");
    expect(translate("en", "library.resourceCount", { count: 0 })).toBe("0 resources");
    expect(translate("en", "library.resourceCount", { count: 2 })).toBe("2 resources");
    expect(translate("en", "library.resourceCount", { count: 1200 })).toBe("1,200 resources");
  });

  it("follows French rules, where zero is singular", () => {
    expect(translate("fr", "library.resourceCount", { count: 0 })).toBe("0 ressource");
    expect(translate("fr", "library.resourceCount", { count: 1 })).toBe("1 ressource");
    expect(translate("fr", "library.resourceCount", { count: 3 })).toBe("3 ressources");
  });

  it("uses the single form in Japanese", () => {
    expect(translate("ja", "library.resourceCount", { count: 1 })).toBe("1 件のリソース");
    expect(translate("ja", "library.resourceCount", { count: 5 })).toBe("5 件のリソース");
  });
});

describe("pickLocale", () => {
  it("matches on the language subtag", () => {
    expect(pickLocale(["pt-BR"])).toBe("pt");
    expect(pickLocale(["fr_CA"])).toBe("fr");
    expect(pickLocale(["JA-jp"])).toBe("ja");
  });

  it("takes the first supported preference", () => {
    expect(pickLocale(["de-DE", "es-MX", "fr"])).toBe("es");
  });

  it("falls back to English", () => {
    expect(pickLocale(["de-DE", "nl"])).toBe("en");
    expect(pickLocale([])).toBe("en");
    expect(pickLocale([""])).toBe("en");
  });
});

describe("translate", () => {
  it("falls back to English when a catalogue lacks a key at run time", () => {
    const french = catalogues.fr as Partial<Catalogue>;
    const saved = french["library.title"];
    delete french["library.title"];
    try {
      expect(translate("fr", "library.title")).toBe("Library");
    } finally {
      french["library.title"] = saved as string;
    }
  });
});

describe("the current locale", () => {
  afterEach(() => setLocale("en"));

  it("translates with t and sets <html lang>", () => {
    setLocale("es");
    expect(getLocale()).toBe("es");
    expect(document.documentElement.lang).toBe("es");
    expect(t("nav.library")).toBe("Biblioteca");
    expect(t("library.resourceCount", { count: 2 })).toBe("2 recursos");
  });

  it("is picked from navigator.languages", () => {
    Object.defineProperty(navigator, "languages", { value: ["ja-JP", "en"], configurable: true });
    try {
      expect(initLocale()).toBe("ja");
      expect(document.documentElement.lang).toBe("ja");
    } finally {
      // Removing the own property uncovers jsdom's getter again.
      delete (navigator as { languages?: unknown }).languages;
    }
  });
});

describe("catalogues", () => {
  const englishKeys = Object.keys(catalogues.en).sort();

  it.each(LOCALES)("%s has exactly the English keys", (locale) => {
    expect(Object.keys(catalogues[locale]).sort()).toEqual(englishKeys);
  });

  it.each(LOCALES)("%s has the same shape as English for every message", (locale) => {
    for (const key of englishKeys as MessageKey[]) {
      const english = catalogues.en[key];
      const message = catalogues[locale][key];
      expect(typeof message, key).toBe(typeof english);
      if (typeof message !== "string") expect(message.other, key).toBeTruthy();
    }
  });

  it.each(LOCALES)("%s uses only placeholders that English provides", (locale) => {
    for (const key of englishKeys as MessageKey[]) {
      const provided = new Set(
        texts(catalogues.en[key]).flatMap((text) => [...placeholders(text)]),
      );
      for (const text of texts(catalogues[locale][key])) {
        expect(text.trim(), `${locale} ${key} is empty`).not.toBe("");
        for (const name of placeholders(text)) {
          expect(provided.has(name), `${locale} ${key} uses ${name}`).toBe(true);
        }
      }
    }
  });

  it.each(LOCALES)("%s plural forms are categories the locale uses", (locale) => {
    const categories: readonly string[] = new Intl.PluralRules(locale).resolvedOptions()
      .pluralCategories;
    for (const key of englishKeys as MessageKey[]) {
      const message = catalogues[locale][key];
      if (typeof message === "string") continue;
      for (const category of Object.keys(message)) {
        expect(categories, `${locale} ${key}`).toContain(category);
      }
    }
  });
});

describe("translations", () => {
  // Words that really are the same as in English: names, French cognates, and some of the
  // verification emoji.
  const SAME_AS_ENGLISH: Record<Exclude<(typeof LOCALES)[number], "en">, string[]> = {
    fr: [
      "nav.collections",
      "nav.conversations",
      "notices.label",
      "collections.title",
      "conversations.title",
      "settings.library.collections",
      "settings.about.version",
      "library.filter.licence",
      "field.licence",
      "field.description",
      "field.sourceUrl",
      "resource.file.type",
      "resource.file.dimensions",
      "resource.file.pixels",
      "resource.file.revisionCount",
      "licence.element.by",
      "library.filter.collection",
      "media.document",
      "media.image",
      "conversations.message.image",
      "media.audio",
      "media.archive",
      "history.heading",
      "editor.imageUntitled",
      "conversations.verify.emoji.lion",
      "conversations.verify.emoji.panda",
      "conversations.verify.emoji.cactus",
      "conversations.verify.emoji.pizza",
      "conversations.verify.emoji.robot",
      "conversations.verify.emoji.train",
    ],
    es: [
      "media.audio",
      "conversations.verify.emoji.panda",
      "conversations.verify.emoji.cactus",
      "conversations.verify.emoji.pizza",
      "conversations.verify.emoji.robot",
    ],
    pt: [
      "media.presentation",
      "media.ebook",
      "conversations.verify.emoji.panda",
      "conversations.verify.emoji.banana",
      "conversations.verify.emoji.pizza",
    ],
    ja: [],
  };
  const EVERYWHERE = [
    "app.name",
    "window.title",
    "licence.element.cc",
    "media.pdf",
    "import.summary.separator",
    "edit.licenceGroup.current",
    "diff.binaryType",
  ];

  it.each(Object.keys(SAME_AS_ENGLISH) as Array<keyof typeof SAME_AS_ENGLISH>)(
    "%s translates every message rather than copying the English",
    (locale) => {
      const allowed = new Set([...EVERYWHERE, ...SAME_AS_ENGLISH[locale]]);
      const copied = (Object.keys(catalogues.en) as MessageKey[]).filter(
        (key) =>
          !allowed.has(key) &&
          JSON.stringify(catalogues[locale][key]) === JSON.stringify(catalogues.en[key]),
      );
      expect(copied).toEqual([]);
    },
  );
});
