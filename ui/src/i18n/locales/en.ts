// English: the reference catalogue. Its keys are the keys of every other locale.

import type { Message } from "../types";

export const en = {
  "app.name": "Commonplace",

  "nav.label": "Sections",
  "nav.library": "Library",
  "nav.collections": "Collections",
  "nav.conversations": "Conversations",
  "nav.settings": "Settings",
  "window.title": "{section} – Commonplace",

  "common.comingSoon": "Coming soon",
  "common.dismiss": "Dismiss",
  "common.loading": "Loading…",
  "notices.label": "Notifications",

  "loading.library": "Opening your library…",

  "startup.retry": "Try again",
  "startup.retrying": "Trying again…",
  "startup.details": "Details",
  "startup.errorCode": "Code: {kind}",
  "startup.logFile": "Log file",
  "startup.closeOtherInstance.title": "This library is already open",
  "startup.closeOtherInstance.body":
    "Another Commonplace window is using this library. Only one window can use a library at a time, so that nothing gets overwritten.",
  "startup.closeOtherInstance.step1":
    "Close the other Commonplace window, then choose “Try again”.",
  "startup.closeOtherInstance.step2": "Or start Commonplace with a different library folder.",
  "startup.checkFolder.title": "Commonplace can’t open your library folder",
  "startup.checkFolder.body":
    "The folder may have been moved, be on a drive that isn’t connected, or not let Commonplace make changes.",
  "startup.checkFolder.step1":
    "Check that the drive is connected and that you can open the library folder.",
  "startup.checkFolder.step2": "Then choose “Try again”.",
  "startup.tryAgain.title": "Commonplace couldn’t open your library",
  "startup.tryAgain.body": "Something unexpected happened while opening it.",
  "startup.tryAgain.step1": "Choose “Try again”, or quit and restart Commonplace.",
  "startup.tryAgain.step2":
    "If it keeps happening, send the log file to whoever helps you with your computer.",

  "library.title": "Library",
  "library.empty.title": "Your library is empty",
  "library.empty.body":
    "Add the worksheets, slides, PDFs and web pages you teach with. Everything stays on this computer and works offline.",
  "library.empty.stepsHeading": "First steps",
  "library.empty.importTitle": "Import files or a whole folder",
  "library.empty.importBody":
    "Commonplace keeps its own copy of each file, so your originals are never changed.",
  "library.empty.dragTitle": "Drag files onto this window",
  "library.empty.dragBody": "Drop documents straight from your file manager.",
  "library.empty.licenceTitle": "Check a resource’s licence before you share it",
  "library.empty.licenceBody":
    "Each resource shows what its licence lets you do: use it, adapt it, share it.",
  "library.importFiles": "Import files…",
  "library.importFolder": "Import a folder…",
  "library.importUnavailable": "Import arrives in the next version.",
  "library.resourceCount": { one: "{count} resource", other: "{count} resources" },
  "library.listComingSoon": "Browsing and searching your resources arrives in the next version.",

  "collections.title": "Collections",
  "collections.empty.title": "No collections yet",
  "collections.empty.body":
    "A collection gathers resources for a course, a unit or a topic, such as “Year 9 ecology” or “New staff induction”. A resource can belong to several collections, and a collection can be shared with colleagues.",
  "collections.empty.note": "Collections arrive together with importing.",

  "conversations.title": "Conversations",
  "conversations.empty.title": "No conversations yet",
  "conversations.empty.body":
    "Message colleagues and send them resources. Conversations are end-to-end encrypted: only the people in them can read them. Each of you can use your own school’s or institution’s server.",
  "conversations.empty.note": "To start, you will add an account in Settings.",

  "settings.title": "Settings",
  "settings.loadFailed": "These details couldn’t be loaded.",
  "settings.library.heading": "Library",
  "settings.library.description":
    "Commonplace keeps your resources in this folder, on this computer.",
  "settings.library.path": "Folder",
  "settings.library.formatVersion": "Format version",
  "settings.library.id": "Library ID",
  "settings.library.resources": "Resources",
  "settings.library.collections": "Collections",
  "settings.accounts.heading": "Accounts",
  "settings.accounts.body":
    "An account on your institution’s server lets you hold conversations with colleagues. Adding accounts is coming soon.",
  "settings.about.heading": "About",
  "settings.about.version": "Version",
  "settings.about.logFile": "Log file",
  "settings.about.logFileHint":
    "If something goes wrong, this file helps whoever supports you find out why.",
} satisfies Record<string, Message>;
