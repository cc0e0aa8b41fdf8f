// Runs before every test file: a clean IPC mock, no leftover notices, English UI.

import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach } from "vitest";
import { dismissAll } from "../components/notices.svelte";
import { setLocale } from "../i18n";

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  clearMocks();
  dismissAll();
});
