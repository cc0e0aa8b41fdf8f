import { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import {
  CommandError,
  importPaths,
  listenForFileDrags,
  pickFile,
  pickFiles,
  pickFolders,
  pickSavePath,
} from ".";
import type { ImportProgress } from ".";

describe("importPaths", () => {
  it("sends the paths with a channel that delivers progress", async () => {
    const heard: ImportProgress[] = [];
    let sent: Record<string, unknown> = {};
    mockIPC((command, args) => {
      expect(command).toBe("library_import_paths");
      sent = args as Record<string, unknown>;
      const channel = sent["onProgress"] as Channel<ImportProgress>;
      channel.onmessage({ itemsDone: 1, itemsTotal: 2, bytesDone: 10, bytesTotal: 20 });
      return { items: [], cancelled: false };
    });
    const report = await importPaths(["/a", "/b"], (progress) => heard.push(progress));
    expect(report).toEqual({ items: [], cancelled: false });
    expect(sent["request"]).toEqual({ paths: ["/a", "/b"] });
    expect(sent["onProgress"]).toBeInstanceOf(Channel);
    expect(heard).toEqual([{ itemsDone: 1, itemsTotal: 2, bytesDone: 10, bytesTotal: 20 }]);
  });
});

describe("the open dialog", () => {
  it("asks for several files, or several folders, with a title", async () => {
    const seen: unknown[] = [];
    mockIPC((command, args) => {
      seen.push({ command, args });
      return ["/home/ada/a.pdf"];
    });
    await expect(pickFiles("Choose files")).resolves.toEqual(["/home/ada/a.pdf"]);
    await expect(pickFolders("Choose folders")).resolves.toEqual(["/home/ada/a.pdf"]);
    expect(seen).toEqual([
      {
        command: "plugin:dialog|open",
        args: { options: { title: "Choose files", multiple: true, directory: false } },
      },
      {
        command: "plugin:dialog|open",
        args: { options: { title: "Choose folders", multiple: true, directory: true } },
      },
    ]);
  });

  it("gives no paths when the person cancels", async () => {
    mockIPC(() => null);
    await expect(pickFiles("Choose files")).resolves.toEqual([]);
  });

  it("asks for one file, and gives null when the person cancels", async () => {
    const seen: unknown[] = [];
    const answers: unknown[] = ["/home/ada/plan.pdf", null];
    mockIPC((command, args) => {
      seen.push({ command, args });
      return answers.shift();
    });
    await expect(pickFile("Choose a file")).resolves.toBe("/home/ada/plan.pdf");
    await expect(pickFile("Choose a file")).resolves.toBeNull();
    expect(seen[0]).toEqual({
      command: "plugin:dialog|open",
      args: { options: { title: "Choose a file", multiple: false, directory: false } },
    });
  });

  it("asks where to save with a default name, and gives null when the person cancels", async () => {
    const seen: unknown[] = [];
    const answers: unknown[] = ["/home/ada/plan.pdf", null, ""];
    mockIPC((command, args) => {
      seen.push({ command, args });
      return answers.shift();
    });
    await expect(pickSavePath("Save", "plan.pdf")).resolves.toBe("/home/ada/plan.pdf");
    await expect(pickSavePath("Save", "plan.pdf")).resolves.toBeNull();
    await expect(pickSavePath("Save", "plan.pdf")).resolves.toBeNull();
    expect(seen[0]).toEqual({
      command: "plugin:dialog|save",
      args: { options: { title: "Save", defaultPath: "plan.pdf" } },
    });
  });

  it("rejects with a CommandError when the dialog is refused", async () => {
    mockIPC(() => {
      throw "dialog.open not allowed";
    });
    const error = await pickFolders("Choose folders").catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).kind).toBe("internal");
  });
});

describe("listenForFileDrags", () => {
  it("does nothing, without failing, outside the app's window", async () => {
    const stop = await listenForFileDrags(() => {});
    expect(typeof stop).toBe("function");
    expect(() => stop()).not.toThrow();
  });
});
