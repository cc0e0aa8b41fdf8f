import { describe, expect, it } from "vitest";
import { catalogues, LOCALES } from "../../i18n";
import { sampleEmojis } from "../../test/messaging";
import { emojiName, SAS_EMOJI_NAMES } from "./emoji-names";

const englishNames = Object.keys(SAS_EMOJI_NAMES) as Array<keyof typeof SAS_EMOJI_NAMES>;

describe("the table of emoji names", () => {
  it("has the 64 names of the spec's table, each once", () => {
    // The keys are the names as the shell's table in `messaging/src/verification.rs` spells them.
    expect(englishNames).toHaveLength(64);
    expect(englishNames).toEqual(expect.arrayContaining(sampleEmojis.map((emoji) => emoji.name)));
    expect(englishNames).toEqual(expect.arrayContaining(["Thumbs Up", "Light Bulb", "Spanner"]));
  });

  it.each(LOCALES)("has a name for every emoji in %s", (locale) => {
    for (const name of englishNames) {
      const message = catalogues[locale][SAS_EMOJI_NAMES[name]];
      expect(typeof message, `${locale} ${name}`).toBe("string");
      expect((message as string).trim(), `${locale} ${name}`).not.toBe("");
      expect(emojiName(locale, name), `${locale} ${name}`).toBe(message);
    }
  });

  it.each(LOCALES)("gives the 64 emoji 64 different names in %s", (locale) => {
    // Two emoji with one name could not be told apart when read aloud.
    const names = englishNames.map((name) => emojiName(locale, name).toLocaleLowerCase(locale));
    expect(new Set(names).size).toBe(64);
  });

  it("names them in English exactly as the spec does", () => {
    expect(englishNames.map((name) => emojiName("en", name))).toEqual(englishNames);
  });
});

describe("emojiName", () => {
  it.each([
    ["es", "Dog", "Perro"],
    ["fr", "Thumbs Up", "Pouce levé"],
    ["pt", "Light Bulb", "Lâmpada"],
    ["ja", "Umbrella", "傘"],
    ["en", "Spanner", "Spanner"],
  ] as const)("names %s %s as %s", (locale, name, expected) => {
    expect(emojiName(locale, name)).toBe(expected);
  });

  it.each(["Kite", "dog", "Thumbs up", "", "constructor", "conversations.verify.emoji.dog"])(
    "shows a name it does not know, %j, as the shell sent it",
    (name) => {
      expect(emojiName("fr", name)).toBe(name);
      expect(emojiName("ja", name)).toBe(name);
    },
  );
});
