import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./i18n";
import { sampleHit } from "./test/library";
import { ipcError, mockShell, sampleApp, sampleLibrary } from "./test/shell";

const sectionTitle = () => screen.getByTestId("section-title").textContent;

describe("startup", () => {
  it("shows only a loading state while library_get_info is in flight", async () => {
    mockShell({ library_get_info: { pending: new Promise(() => {}) } });
    render(App);
    expect(await screen.findByTestId("startup-loading")).toBeTruthy();
    expect(screen.queryByTestId("nav-library")).toBeNull();
    expect(screen.queryByTestId("library-empty-state")).toBeNull();
    expect(screen.queryByTestId("startup-error")).toBeNull();
  });

  it("shows the error panel with Rust's message when the library is locked", async () => {
    const message = "the library at /srv/lib is open in another Commonplace process (pid 4242)";
    mockShell({ library_get_info: ipcError("locked", message) });
    render(App);

    const panel = await screen.findByTestId("startup-error");
    expect(within(panel).getByRole("heading", { level: 1 }).textContent).toBe(
      "This library is already open",
    );
    expect(within(panel).getByTestId("startup-error-message").textContent).toBe(message);
    expect(panel.textContent).toContain("Close the other Commonplace window");
    expect(screen.queryByTestId("nav-library")).toBeNull();
    expect(screen.queryByTestId("startup-loading")).toBeNull();
    // The log file comes from app_get_info, which works without a library.
    expect(await within(panel).findByText(sampleApp.logFile)).toBeTruthy();
  });

  it("explains a non-IPC failure as an internal error", async () => {
    mockShell({ library_get_info: { error: "Command library_get_info not allowed by ACL" } });
    render(App);
    const panel = await screen.findByTestId("startup-error");
    expect(panel.textContent).toContain("Commonplace couldn’t open your library");
    expect(panel.textContent).toContain("Command library_get_info not allowed by ACL");
    expect(panel.textContent).toContain("internal");
  });

  it("opens the library when Try again succeeds", async () => {
    const calls = mockShell({ library_get_info: ipcError("locked", "busy") });
    render(App);
    const panel = await screen.findByTestId("startup-error");

    mockShell({ library_get_info: { ok: sampleLibrary } });
    await fireEvent.click(within(panel).getByRole("button", { name: "Try again" }));

    expect(await screen.findByTestId("library-empty-state")).toBeTruthy();
    expect(screen.queryByTestId("startup-error")).toBeNull();
    expect(calls).toContain("library_get_info");
  });
});

describe("library", () => {
  it("shows the first-run empty state when the library has no resources", async () => {
    mockShell({ library_get_info: { ok: { ...sampleLibrary, resourceCount: 0 } } });
    render(App);

    const empty = await screen.findByTestId("library-empty-state");
    expect(sectionTitle()).toBe("Library");
    expect(within(empty).getByRole("heading", { level: 2 }).textContent).toBe(
      "Your library is empty",
    );
    expect(within(empty).getAllByRole("listitem")).toHaveLength(3);
    expect(screen.getByTestId("nav-library").getAttribute("aria-current")).toBe("page");
    expect(document.title).toBe("Library – Commonplace");
  });

  it("offers real import buttons, with no “coming soon” left", async () => {
    mockShell();
    render(App);
    const empty = await screen.findByTestId("library-empty-state");
    expect(within(empty).getByTestId("import-files").textContent?.trim()).toBe("Import files…");
    expect(within(empty).getByTestId("import-folder").textContent?.trim()).toBe("Import a folder…");
    expect(empty.textContent).not.toContain("Coming soon");
    expect(empty.textContent).toContain("Drag files onto this window");
  });

  it("shows the list of resources instead when there are some", async () => {
    mockShell({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 3 } },
      library_search_resources: {
        ok: [sampleHit("a", "Leaves"), sampleHit("b", "Roots"), sampleHit("c", "Stems")],
      },
    });
    render(App);
    expect(await screen.findByTestId("library-search")).toBeTruthy();
    expect(screen.queryByTestId("library-empty-state")).toBeNull();
    expect((await screen.findByTestId("library-status")).textContent).toBe("3 resources");
  });
});

describe("navigation", () => {
  it("switches sections from the sidebar and marks the current one", async () => {
    mockShell();
    render(App);
    await screen.findByTestId("library-empty-state");

    await fireEvent.click(screen.getByTestId("nav-collections"));
    expect(sectionTitle()).toBe("Collections");
    expect(screen.getByTestId("nav-collections").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("nav-library").hasAttribute("aria-current")).toBe(false);

    await fireEvent.click(screen.getByTestId("nav-conversations"));
    expect(sectionTitle()).toBe("Conversations");
    // The section asks the shell about messaging before it shows anything.
    expect((await screen.findByTestId("conversations-empty-state")).textContent).toContain(
      "end-to-end encrypted",
    );
  });

  it("switches sections with Ctrl+1..4 and moves focus to the title", async () => {
    mockShell();
    render(App);
    await screen.findByTestId("library-empty-state");

    await fireEvent.keyDown(window, { code: "Digit2", key: "2", ctrlKey: true });
    expect(sectionTitle()).toBe("Collections");
    expect(document.activeElement).toBe(screen.getByTestId("section-title"));

    await fireEvent.keyDown(window, { code: "Digit4", key: "4", metaKey: true });
    expect(sectionTitle()).toBe("Settings");

    await fireEvent.keyDown(window, { code: "Digit1", key: "1" });
    expect(sectionTitle()).toBe("Settings");
  });
});

describe("settings", () => {
  it("shows the library path and details returned by library_get_info", async () => {
    const library = {
      ...sampleLibrary,
      path: "C:\\Users\\Zoë\\AppData\\Roaming\\Commonplace\\library",
      resourceCount: 1234,
      collectionCount: 5,
      formatVersion: 2,
    };
    mockShell({ library_get_info: { ok: library } });
    render(App);
    await fireEvent.click(await screen.findByTestId("nav-settings"));

    const path = await screen.findByTestId("settings-library-path");
    expect(path.textContent).toBe(library.path);
    expect(screen.getByTestId("settings-library-id").textContent).toBe(library.libraryId);
    expect(screen.getByTestId("settings-format-version").textContent).toBe("2");
    expect(screen.getByTestId("settings-resource-count").textContent?.trim()).toBe("1,234");
    expect(screen.getByTestId("settings-collection-count").textContent?.trim()).toBe("5");
    expect(screen.getByTestId("settings-app-version").textContent).toBe(sampleApp.version);
    expect(screen.getByTestId("settings-log-file").textContent).toBe(sampleApp.logFile);
  });

  it("keeps the rest of Settings when app_get_info fails", async () => {
    mockShell({ app_get_info: ipcError("internal", "no log directory") });
    render(App);
    await fireEvent.click(await screen.findByTestId("nav-settings"));

    expect((await screen.findByTestId("settings-library-path")).textContent).toBe(
      sampleLibrary.path,
    );
    expect((await screen.findByRole("alert")).textContent).toContain("no log directory");
  });
});

describe("translation", () => {
  it("renders the window in the current locale", async () => {
    setLocale("fr");
    mockShell();
    render(App);
    await screen.findByTestId("library-empty-state");
    expect(sectionTitle()).toBe("Bibliothèque");
    expect(screen.getByTestId("nav-settings").textContent?.trim()).toBe("Paramètres");
    expect(screen.getByText("Votre bibliothèque est vide")).toBeTruthy();
  });
});
