import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import type { MessageInfo } from "../../api";
import { notices } from "../../components/notices.svelte";
import { fakeMessaging, sampleAccount, sampleMessage, stored } from "../../test/messaging";
import {
  argsOf,
  ipcError,
  mockShell,
  pluginArgsOf,
  type FakePlugins,
  type FakeShell,
} from "../../test/shell";
import { attachmentFileName, fileNameOf } from "./format";
import MessageItem from "./MessageItem.svelte";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const directRoom = "!direct-ben:school.example.org";

// A 1×1 PNG, as the shell answers a preview.
const preview =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

const plan: MessageInfo = sampleMessage("$plan", ben, "plan.pdf", { kind: "file" });
const photo: MessageInfo = sampleMessage("$photo", ben, "field trip.png", { kind: "image" });

/** Ada at school, in a direct conversation with Ben. */
function school(messages: MessageInfo[] = []) {
  return fakeMessaging({
    accounts: [sampleAccount(ada)],
    rooms: { [ada]: [stored(directRoom, messages, { directWith: ben })] },
  });
}

const openDialog = (path: string | null): FakePlugins => ({ "plugin:dialog|open": { ok: path } });
const saveDialog = (path: string | null): FakePlugins => ({ "plugin:dialog|save": { ok: path } });

/** The window, in the conversation with Ben, the dialogs answering as `plugins` say. */
async function openConversation(shell: FakeShell, plugins: FakePlugins): Promise<string[]> {
  const calls = mockShell(shell, { plugins });
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-conversations"));
  await fireEvent.click(await screen.findByTestId("room-row"));
  await screen.findByTestId("composer");
  return calls;
}

/** One message on its own, shown to Ada, with the shell (and dialogs) answering as given. */
function showMessage(
  message: MessageInfo,
  shell: FakeShell = {},
  plugins: FakePlugins = {},
): string[] {
  const calls = mockShell(shell, { plugins });
  render(MessageItem, { message, userId: ada, own: false, roomEncrypted: true });
  return calls;
}

const messages = () => screen.queryAllByTestId("message");
const said = () => notices.map((notice) => notice.message);
const attachButton = () => screen.getByTestId("composer-attach") as HTMLButtonElement;
const saveButton = (within: HTMLElement | Document = document) =>
  within.querySelector<HTMLButtonElement>('[data-testid="message-save-attachment"]');

describe("the file names", () => {
  it("takes the last part of a path, whichever the separator", () => {
    expect(fileNameOf("/home/ada/Documents/plan.pdf")).toBe("plan.pdf");
    expect(fileNameOf("C:\\Users\\Ada\\plan.pdf")).toBe("plan.pdf");
  });

  it("offers a name without folders or leading dots, keeping the extension", () => {
    expect(attachmentFileName("plan.pdf", "attachment")).toBe("plan.pdf");
    expect(attachmentFileName("../../.ssh/authorized_keys", "attachment")).toBe("authorized_keys");
    expect(attachmentFileName('what: "now"?.txt', "attachment")).toBe("what now .txt");
    expect(attachmentFileName("..", "attachment")).toBe("attachment");
    expect(attachmentFileName(null, "attachment")).toBe("attachment");
    const long = attachmentFileName(`${"a".repeat(300)}.pdf`, "attachment");
    expect(long).toHaveLength(120);
    expect(long.endsWith("a.pdf")).toBe(true);
  });
});

describe("attaching a file", () => {
  it("sends the file picked to the conversation, saying so while it goes, then shows it", async () => {
    const fake = school();
    let release!: () => void;
    fake.state.sending = new Promise<void>((resolve) => (release = resolve));
    await openConversation(fake.shell, openDialog("/home/ada/Documents/plan.pdf"));
    expect(screen.getByRole("button", { name: "Attach a file" })).toBe(attachButton());
    const loads = argsOf("messaging_list_messages").length;

    await fireEvent.click(attachButton());
    const busy = await screen.findByTestId("composer-attaching");
    expect(busy.textContent?.trim()).toBe("Sending plan.pdf…");
    expect(attachButton().disabled).toBe(true);
    expect(pluginArgsOf("plugin:dialog|open")).toEqual([
      { options: { title: "Choose a file to send", multiple: false, directory: false } },
    ]);
    expect(argsOf("messaging_send_file")).toEqual([
      { request: { userId: ada, roomId: directRoom, path: "/home/ada/Documents/plan.pdf" } },
    ]);
    expect(messages()).toHaveLength(0);

    release();
    await waitFor(() => expect(messages()).toHaveLength(1));
    expect(argsOf("messaging_list_messages").length).toBeGreaterThan(loads);
    const sent = messages()[0]!;
    expect(sent.dataset["kind"]).toBe("file");
    expect(within(sent).getByTestId("message-body").textContent).toBe("plan.pdf");
    await waitFor(() => expect(screen.queryByTestId("composer-attaching")).toBeNull());
    expect(attachButton().disabled).toBe(false);
    expect(screen.queryByTestId("composer-error")).toBeNull();
    expect(said()).toEqual([]);
  });

  it("sends nothing when the dialog is cancelled", async () => {
    const fake = school();
    const calls = await openConversation(fake.shell, openDialog(null));
    await fireEvent.click(attachButton());
    await waitFor(() => expect(calls).toContain("plugin:dialog|open"));
    await waitFor(() => expect(attachButton().disabled).toBe(false));
    expect(calls).not.toContain("messaging_send_file");
    expect(screen.queryByTestId("composer-attaching")).toBeNull();
    expect(screen.queryByTestId("composer-error")).toBeNull();
  });

  it("says when a file waits for the server, as a message does", async () => {
    const fake = school();
    fake.state.sendStatus = "queued";
    await openConversation(fake.shell, openDialog("/home/ada/Pictures/field trip.png"));
    await fireEvent.click(attachButton());
    await waitFor(() => expect(messages()).toHaveLength(1));
    expect(messages()[0]!.dataset["kind"]).toBe("image");
    expect(said()).toEqual(["Will be sent when the server is reachable."]);
  });

  it("says in place why a file could not be sent", async () => {
    const fake = school();
    await openConversation(
      {
        ...fake.shell,
        messaging_send_file: ipcError(
          "invalidInput",
          "film.mp4 is larger than the 100 MiB that can be sent",
        ),
      },
      openDialog("/home/ada/Videos/film.mp4"),
    );
    await fireEvent.click(attachButton());
    const error = await screen.findByTestId("composer-error");
    expect(error.textContent?.trim()).toBe(
      "film.mp4 couldn’t be sent: film.mp4 is larger than the 100 MiB that can be sent",
    );
    expect(messages()).toHaveLength(0);
    await waitFor(() => expect(attachButton().disabled).toBe(false));
  });
});

describe("an image in a conversation", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows the shell's preview, named by the file, and opens it larger", async () => {
    showMessage(photo, { messaging_get_image: { ok: preview } });
    const image = (await screen.findByTestId("message-image")) as HTMLImageElement;
    expect(image.getAttribute("src")).toBe(preview);
    expect(image.alt).toBe("field trip.png");
    expect(argsOf("messaging_get_image")).toEqual([
      { request: { userId: ada, eventId: "$photo" } },
    ]);
    // The data URL is the image's source and nothing else.
    expect(document.body.innerHTML.split(preview)).toHaveLength(2);
    expect(screen.queryByTestId("message-image-loading")).toBeNull();
    expect(screen.queryByTestId("message-file")).toBeNull();
    expect(saveButton()).toBeNull();

    await fireEvent.click(image);
    const view = await screen.findByTestId("message-image-view");
    const large = within(view).getByRole("img", { name: "field trip.png" });
    expect(large.getAttribute("src")).toBe(preview);
    expect(within(view).getByRole("heading").textContent).toBe("field trip.png");
    expect(saveButton(view)).toBeTruthy();
    expect(argsOf("messaging_get_image")).toHaveLength(1);
  });

  it("asks for the preview only once the image scrolls into view", async () => {
    const observers: Array<{ callback: IntersectionObserverCallback; targets: Element[] }> = [];
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        readonly targets: Element[] = [];
        constructor(readonly callback: IntersectionObserverCallback) {
          observers.push(this);
        }
        observe(target: Element) {
          this.targets.push(target);
        }
        unobserve() {}
        disconnect() {}
        takeRecords() {
          return [];
        }
      },
    );
    showMessage(photo, { messaging_get_image: { ok: preview } });
    const placeholder = screen.getByTestId("message-image-loading");
    expect(placeholder.textContent).toContain("Loading the image field trip.png…");
    expect(observers).toHaveLength(1);
    expect(observers[0]!.targets).toEqual([placeholder]);
    expect(argsOf("messaging_get_image")).toHaveLength(0);

    observers[0]!.callback(
      [{ isIntersecting: true, target: placeholder } as unknown as IntersectionObserverEntry],
      observers[0] as unknown as IntersectionObserver,
    );
    const image = (await screen.findByTestId("message-image")) as HTMLImageElement;
    expect(image.getAttribute("src")).toBe(preview);
    expect(argsOf("messaging_get_image")).toHaveLength(1);
  });

  it("falls back to the file line, the failure in its tooltip, when the preview fails", async () => {
    showMessage(photo, {
      messaging_get_image: ipcError("io", "school.example.org could not be reached"),
    });
    const line = await screen.findByTestId("message-file");
    expect(line.getAttribute("title")).toBe(
      "The preview couldn’t be shown: school.example.org could not be reached",
    );
    expect(within(line).getByTestId("message-body").textContent).toBe("field trip.png");
    expect(line.textContent).toContain("Image");
    expect(screen.queryByTestId("message-image")).toBeNull();
    expect(screen.queryByTestId("message-image-loading")).toBeNull();
    // There is no larger view to save it from, so the line offers it.
    expect(saveButton(line)).toBeTruthy();
  });

  it("shows the file line when the shell has no image, or answers something else", async () => {
    showMessage(photo, { messaging_get_image: { ok: "data:text/html;base64,PHNjcmlwdD4=" } });
    const line = await screen.findByTestId("message-file");
    expect(line.hasAttribute("title")).toBe(false);
    expect(screen.queryByTestId("message-image")).toBeNull();
    expect(document.body.innerHTML).not.toContain("data:text/html");
  });
});

describe("saving an attachment", () => {
  it("asks where with the file's name, saves it there and says so", async () => {
    showMessage(
      plan,
      { messaging_save_attachment: { ok: null } },
      saveDialog("/home/ada/plan.pdf"),
    );
    const line = screen.getByTestId("message-file");
    expect(within(line).getByTestId("message-body").textContent).toBe("plan.pdf");
    await fireEvent.click(saveButton(line)!);

    await waitFor(() => expect(said()).toEqual(["Saved plan.pdf."]));
    expect(pluginArgsOf("plugin:dialog|save")).toEqual([
      { options: { title: "Save plan.pdf", defaultPath: "plan.pdf" } },
    ]);
    expect(argsOf("messaging_save_attachment")).toEqual([
      { request: { userId: ada, eventId: "$plan", destination: "/home/ada/plan.pdf" } },
    ]);
    expect(screen.queryByTestId("message-save-error")).toBeNull();
  });

  it("does nothing when the save dialog is cancelled", async () => {
    const calls = showMessage(plan, { messaging_save_attachment: { ok: null } }, saveDialog(null));
    await fireEvent.click(saveButton()!);
    await waitFor(() => expect(calls).toContain("plugin:dialog|save"));
    await waitFor(() => expect(saveButton()!.disabled).toBe(false));
    expect(calls).not.toContain("messaging_save_attachment");
    expect(said()).toEqual([]);
    expect(screen.queryByTestId("message-save-error")).toBeNull();
  });

  it("says in place why it could not be saved", async () => {
    showMessage(
      plan,
      { messaging_save_attachment: ipcError("io", "the download was interrupted") },
      saveDialog("/home/ada/plan.pdf"),
    );
    await fireEvent.click(saveButton()!);
    const error = await screen.findByTestId("message-save-error");
    expect(error.textContent).toBe("plan.pdf couldn’t be saved: the download was interrupted");
    expect(said()).toEqual([]);
    expect(saveButton()!.disabled).toBe(false);
  });

  it("saves an image from its larger view", async () => {
    const fake = school([photo]);
    fake.state.images.set("$photo", preview);
    await openConversation(
      { ...fake.shell, messaging_save_attachment: { ok: null } },
      saveDialog("/home/ada/Pictures/trip.png"),
    );
    await fireEvent.click(await screen.findByTestId("message-image"));
    const view = await screen.findByTestId("message-image-view");
    await fireEvent.click(saveButton(view)!);

    await waitFor(() => expect(said()).toEqual(["Saved trip.png."]));
    expect(pluginArgsOf("plugin:dialog|save")[0]).toEqual({
      options: { title: "Save field trip.png", defaultPath: "field trip.png" },
    });
    expect(argsOf("messaging_save_attachment")).toEqual([
      { request: { userId: ada, eventId: "$photo", destination: "/home/ada/Pictures/trip.png" } },
    ]);
  });

  it("is not offered on a shared resource, which keeps its own actions", () => {
    showMessage(
      sampleMessage("$card", ben, "leaves.commonplace", {
        kind: "file",
        resource: {
          resourceId: "res-9",
          revisionId: "rev-9",
          title: "Leaves",
          description: "",
          creators: [],
          licence: "CC-BY-4.0",
          language: "en",
          attribution: "“Leaves” by Ana Souza, licensed under CC BY 4.0.",
          sources: [],
        },
      }),
    );
    expect(screen.getByTestId("resource-card-save")).toBeTruthy();
    expect(saveButton()).toBeNull();
    expect(screen.queryByTestId("message-file")).toBeNull();
  });
});
