// Runs before every test file: a clean IPC mock, no leftover notices or import, English UI.

import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach } from "vitest";
import { dismissAll } from "../components/notices.svelte";
import { importer } from "../features/library/importer.svelte";
import { setLocale } from "../i18n";

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  clearMocks();
  dismissAll();
  // An import a test left running must not carry over into the next test.
  importer.current = { status: "idle" };
});
