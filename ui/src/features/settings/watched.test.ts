import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import type { WatchedFolder } from "../../api";
import {
  argsOf,
  ipcError,
  mockShell,
  pluginArgsOf,
  type FakePlugins,
  type FakeShell,
} from "../../test/shell";

const units: WatchedFolder = { path: "/home/ada/Units", mode: "events", reason: null };
const share: WatchedFolder = {
  path: "/mnt/school-share/Science",
  mode: "polling",
  reason: "Network drives don’t report changes, so this folder is checked instead.",
};

/** Watched folders behind the fake shell: adding and removing change the list. */
function fakeWatched(initial: WatchedFolder[]): FakeShell {
  let folders = [...initial];
  return {
    library_list_watched_folders: { handle: () => folders },
    library_add_watched_folder: {
      handle: ({ request }) => {
        folders = [...folders, { path: request.path, mode: "events", reason: null }];
        return folders;
      },
    },
    library_remove_watched_folder: {
      handle: ({ request }) => {
        folders = folders.filter((folder) => folder.path !== request.path);
        return folders;
      },
    },
  };
}

async function openSettings(shell: FakeShell, plugins: FakePlugins = {}): Promise<HTMLElement> {
  mockShell(shell, { plugins });
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-settings"));
  return screen.getByTestId("settings-watched");
}

const folders = () => screen.queryAllByTestId("watched-folder");

describe("watched folders", () => {
  it("says what watching does and how each folder is followed", async () => {
    const section = await openSettings(fakeWatched([units, share]));
    expect(section.textContent).toContain("come into your library by themselves");
    expect(section.textContent).toContain("never removes it from your library");
    await waitFor(() => expect(folders()).toHaveLength(2));

    const [watched, polled] = folders();
    expect(within(watched!).getByTestId("watched-path").textContent).toBe("/home/ada/Units");
    expect(within(watched!).getByTestId("watched-mode").textContent?.trim()).toBe(
      "Watching for changes",
    );
    expect(within(watched!).queryByTestId("watched-reason")).toBeNull();
    expect(within(polled!).getByTestId("watched-mode").textContent?.trim()).toBe(
      "Checked every 30 seconds",
    );
    expect(within(polled!).getByTestId("watched-reason").textContent).toBe(share.reason);
  });

  it("explains an empty list", async () => {
    const section = await openSettings(fakeWatched([]));
    expect((await within(section).findByTestId("watched-empty")).textContent).toContain(
      "No folders are watched yet",
    );
  });

  it("adds the folder picked in the system's folder chooser", async () => {
    const section = await openSettings(fakeWatched([units]), {
      "plugin:dialog|open": { ok: "/home/ada/Quizzes" },
    });
    await waitFor(() => expect(folders()).toHaveLength(1));

    await fireEvent.click(within(section).getByTestId("watched-add"));
    await waitFor(() => expect(folders()).toHaveLength(2));
    expect(pluginArgsOf("plugin:dialog|open")[0]).toMatchObject({
      options: { directory: true, multiple: false, title: "Choose a folder to watch" },
    });
    expect(argsOf("library_add_watched_folder")).toEqual([
      { request: { path: "/home/ada/Quizzes" } },
    ]);
    expect(within(folders()[1]!).getByTestId("watched-path").textContent).toBe("/home/ada/Quizzes");
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Watching /home/ada/Quizzes",
    );
  });

  it("adds nothing when the chooser is cancelled", async () => {
    const section = await openSettings(fakeWatched([]), { "plugin:dialog|open": { ok: null } });
    await within(section).findByTestId("watched-empty");
    await fireEvent.click(within(section).getByTestId("watched-add"));
    await waitFor(() => expect(pluginArgsOf("plugin:dialog|open")).toHaveLength(1));
    expect(argsOf("library_add_watched_folder")).toHaveLength(0);
  });

  it("says why a folder cannot be watched", async () => {
    const section = await openSettings(
      {
        ...fakeWatched([]),
        library_add_watched_folder: ipcError(
          "invalidInput",
          "/home/ada/Library cannot be watched: it contains the library or is inside it",
        ),
      },
      { "plugin:dialog|open": { ok: "/home/ada/Library" } },
    );
    await within(section).findByTestId("watched-empty");
    await fireEvent.click(within(section).getByTestId("watched-add"));
    expect((await within(section).findByTestId("watched-error")).textContent).toContain(
      "it contains the library or is inside it",
    );
  });

  it("stops watching a folder", async () => {
    const section = await openSettings(fakeWatched([units, share]));
    await waitFor(() => expect(folders()).toHaveLength(2));
    const remove = within(folders()[0]!).getByTestId("watched-remove");
    expect(remove.getAttribute("aria-label")).toBe("Stop watching /home/ada/Units");
    await fireEvent.click(remove);
    await waitFor(() => expect(folders()).toHaveLength(1));
    expect(argsOf("library_remove_watched_folder")).toEqual([
      { request: { path: "/home/ada/Units" } },
    ]);
    expect(within(section).getByTestId("watched-path").textContent).toBe(share.path);
    expect(document.activeElement).toBe(within(folders()[0]!).getByTestId("watched-remove"));
  });
});
