// Runs around every test: a clean IPC mock, no leftover notices, import, caches, messaging state,
// link question or navigation, English UI.

import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach } from "vitest";
import { dismissAll } from "../components/notices.svelte";
import { resetCollections } from "../features/collections/collections.svelte";
import { resetLinks } from "../features/conversations/links.svelte";
import { resetMessaging } from "../features/conversations/messaging.svelte";
import { importer } from "../features/library/importer.svelte";
import { resetLicences } from "../features/library/licences.svelte";
import { takeOpenRequest } from "../features/library/requests.svelte";
import { clearThumbnails } from "../features/library/thumbnails";
import { setLocale } from "../i18n";
import { resetNavigation } from "../shell/navigation.svelte";

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  clearMocks();
  dismissAll();
  // An import a test left running must not carry over into the next test.
  importer.current = { status: "idle" };
  // Nor may the licences, collections, messaging state or thumbnails one test's shell answered.
  resetLicences();
  resetCollections();
  resetMessaging();
  resetLinks();
  clearThumbnails();
  // Nor the section a test led to, or a resource it asked the library to open.
  resetNavigation();
  takeOpenRequest();
});
