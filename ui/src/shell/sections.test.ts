import { describe, expect, it } from "vitest";
import { sectionForShortcut, shortcutFor } from "./sections";

const key = (code: string, modifiers: KeyboardEventInit = {}) =>
  new KeyboardEvent("keydown", { code, ...modifiers });

describe("sectionForShortcut", () => {
  it("opens sections with Ctrl or Cmd and 1 to 4", () => {
    expect(sectionForShortcut(key("Digit1", { ctrlKey: true }))).toBe("library");
    expect(sectionForShortcut(key("Digit2", { metaKey: true }))).toBe("collections");
    expect(sectionForShortcut(key("Numpad3", { ctrlKey: true }))).toBe("conversations");
    expect(sectionForShortcut(key("Digit4", { ctrlKey: true, shiftKey: true }))).toBe("settings");
  });

  it("ignores plain digits, Alt, both modifiers at once and digits past the sections", () => {
    expect(sectionForShortcut(key("Digit1"))).toBeNull();
    expect(sectionForShortcut(key("Digit1", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(sectionForShortcut(key("Digit1", { ctrlKey: true, metaKey: true }))).toBeNull();
    expect(sectionForShortcut(key("Digit5", { ctrlKey: true }))).toBeNull();
    expect(sectionForShortcut(key("KeyA", { ctrlKey: true }))).toBeNull();
  });

  it("names the shortcut for assistive technology", () => {
    expect(shortcutFor("conversations")).toBe("Control+3 Meta+3");
  });
});
