import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import type {
  BundleImport,
  BundleOutcome,
  Lineage,
  MessageInfo,
  MessagingStatus,
  ResourceCard,
  RoomInfo,
} from "../../api";
import { sampleHit, sampleResource } from "../../test/library";
import { sampleAccount, sampleMessage, sampleRoom } from "../../test/messaging";
import { notices } from "../../components/notices.svelte";
import { argsOf, ipcError, mockShell, sampleLibrary, type FakeShell } from "../../test/shell";
import { navigation } from "../../shell/navigation.svelte";
import ResourceDetail from "../library/ResourceDetail.svelte";
import { libraryRequests } from "../library/requests.svelte";
import { loadLicences } from "../library/licences.svelte";
import MessageItem from "./MessageItem.svelte";
import ShareDialog from "./ShareDialog.svelte";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const chloe = "@chloe:uni.example.net";

const directRoom = "!direct-ben:school.example.org";
const staffRoom = "!staff:school.example.org";
const invitedRoom = "!invited:school.example.org";
const leftRoom = "!left:school.example.org";
const seminarRoom = "!seminar:uni.example.net";

const noLineage: Lineage = {
  resourceId: "res-1",
  sources: [],
  changesMade: false,
  attributions: [],
  copies: [],
  mergeCandidates: [],
  terms: { kind: "original" },
  arrival: null,
};

/** The details panel of "Leaves" (licensed `licence`), with messaging answering as `shell` says. */
function detailShell(licence: string, shell: FakeShell): FakeShell {
  const leaves = sampleResource("res-1", "Leaves");
  return {
    library_get_resource: {
      ok: { ...leaves, metadata: { ...leaves.metadata, licence } },
    },
    library_get_preview: { ok: { kind: "none" } },
    history_get_lineage: { ok: noLineage },
    history_get_merge: { ok: null },
    ...shell,
  };
}

function messagingShell(status: MessagingStatus, rooms: Record<string, RoomInfo[]>): FakeShell {
  return {
    messaging_get_status: { ok: status },
    messaging_list_rooms: { handle: ({ request }) => rooms[request.userId] ?? [] },
  };
}

/** Ada at school (a direct conversation, the staff room, an invitation, one left); Chloe at uni. */
const twoAccounts = messagingShell(
  {
    lock: "unlocked",
    keyring: "unavailable",
    accounts: [sampleAccount(ada), sampleAccount(chloe)],
  },
  {
    [ada]: [
      sampleRoom(directRoom, { directWith: ben }),
      sampleRoom(staffRoom, { name: "Staff room", encrypted: false }),
      sampleRoom(invitedRoom, { name: "Book club", membership: "invited" }),
      sampleRoom(leftRoom, { name: "Old project", membership: "left" }),
    ],
    [chloe]: [sampleRoom(seminarRoom, { name: "Seminar" })],
  },
);

async function openShareDialog(): Promise<HTMLElement> {
  render(ResourceDetail, { id: "res-1", onclose: () => {}, onremoved: () => {} });
  await fireEvent.click(await screen.findByTestId("resource-share"));
  return screen.findByTestId("share-dialog");
}

const said = () => notices.map((notice) => notice.message);
const targets = () => screen.queryAllByTestId("share-target") as HTMLInputElement[];
const target = (roomId: string) => targets().find((found) => found.dataset["roomId"] === roomId);

describe("sharing a resource to a conversation", () => {
  it("lists the joined conversations of every account and shares the chosen one", async () => {
    mockShell(
      detailShell("CC-BY-SA-4.0", {
        ...twoAccounts,
        messaging_share_resource: {
          handle: ({ request }) => ({ status: "sent", roomId: request.roomId, eventId: "$shared" }),
        },
      }),
    );
    const dialog = await openShareDialog();
    await waitFor(() => expect(targets()).toHaveLength(3));

    // Invitations and conversations left are not offered; every account's joined ones are.
    expect(targets().map((found) => [found.dataset["userId"], found.dataset["roomId"]])).toEqual([
      [ada, directRoom],
      [ada, staffRoom],
      [chloe, seminarRoom],
    ]);
    expect(dialog.textContent).not.toContain("Book club");
    expect(dialog.textContent).not.toContain("Old project");
    // Grouped by account, each named by its label and marked when it is encrypted.
    const groups = [...dialog.querySelectorAll<HTMLElement>("fieldset[data-user-id]")];
    expect(groups.map((group) => group.dataset["userId"])).toEqual([ada, chloe]);
    const direct = target(directRoom)!.closest("label")!;
    expect(direct.textContent).toContain(ben);
    expect(direct.textContent).toContain("End-to-end encrypted");
    const staff = target(staffRoom)!.closest("label")!;
    expect(staff.textContent).toContain("Staff room");
    expect(staff.textContent).toContain("Not encrypted");
    expect(dialog.textContent).toContain("travels with its history, licence and credits");

    const send = screen.getByTestId("share-send") as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await fireEvent.click(target(seminarRoom)!);
    expect(send.disabled).toBe(false);
    await fireEvent.click(send);

    await waitFor(() => expect(screen.queryByTestId("share-dialog")).toBeNull());
    expect(argsOf("messaging_share_resource")).toEqual([
      { request: { userId: chloe, roomId: seminarRoom, resourceId: "res-1", confirmed: false } },
    ]);
    expect(said()).toEqual(["Shared “Leaves” in Seminar."]);
  });

  it("asks for the person's word when the licence is not open, then shares confirmed", async () => {
    mockShell(
      detailShell("all-rights-reserved", {
        ...messagingShell(
          { lock: "unlocked", keyring: "unavailable", accounts: [sampleAccount(ada)] },
          { [ada]: [sampleRoom(directRoom, { directWith: ben })] },
        ),
        messaging_share_resource: {
          handle: ({ request }) => {
            if (!request.confirmed) {
              throw { kind: "forbidden", message: "“Leaves” has no open licence." };
            }
            return { status: "queued", roomId: request.roomId, eventId: null };
          },
        },
      }),
    );
    await openShareDialog();
    await waitFor(() => expect(target(directRoom)).toBeTruthy());
    expect(screen.queryByTestId("share-confirm-licence")).toBeNull();
    await fireEvent.click(target(directRoom)!);
    await fireEvent.click(screen.getByTestId("share-send"));

    const confirm = (await screen.findByTestId("share-confirm-licence")) as HTMLInputElement;
    expect(screen.getByTestId("share-licence-refused").textContent).toContain(
      "“Leaves” has no open licence.",
    );
    expect(confirm.checked).toBe(false);
    // Nothing goes out again before the person says they may share it.
    const send = screen.getByTestId("share-send") as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect(screen.getByTestId("share-dialog")).toBeTruthy();

    await fireEvent.click(confirm);
    expect(send.disabled).toBe(false);
    await fireEvent.click(send);

    await waitFor(() => expect(screen.queryByTestId("share-dialog")).toBeNull());
    expect(argsOf("messaging_share_resource").map(({ request }) => request.confirmed)).toEqual([
      false,
      true,
    ]);
    expect(said()).toEqual([
      `“Leaves” will be shared in the conversation with ${ben} when the server is reachable.`,
    ]);
  });

  it("says a refusal for another reason as it is, with no licence question", async () => {
    mockShell(
      detailShell("CC-BY-4.0", {
        ...messagingShell(
          { lock: "unlocked", keyring: "unavailable", accounts: [sampleAccount(ada)] },
          { [ada]: [sampleRoom(directRoom, { directWith: ben })] },
        ),
        messaging_share_resource: ipcError("forbidden", "the message keys are locked"),
      }),
    );
    await openShareDialog();
    await waitFor(() => expect(target(directRoom)).toBeTruthy());
    await fireEvent.click(target(directRoom)!);
    await fireEvent.click(screen.getByTestId("share-send"));

    const error = await screen.findByTestId("share-error");
    expect(error.textContent).toContain("the message keys are locked");
    expect(screen.queryByTestId("share-confirm-licence")).toBeNull();
    await fireEvent.click(within(error).getByTestId("share-open-conversations"));
    expect(navigation.section).toBe("conversations");
  });

  it.each([
    [
      "locked",
      { lock: "locked", keyring: "unavailable", accounts: [sampleAccount(ada)] },
      "Your messages are locked.",
    ],
    [
      "without an account",
      { lock: "unlocked", keyring: "unavailable", accounts: [] },
      "add your messaging account",
    ],
    [
      "without a conversation",
      { lock: "unlocked", keyring: "unavailable", accounts: [sampleAccount(ada)] },
      "You aren’t in any conversation yet.",
    ],
  ] satisfies Array<[string, MessagingStatus, string]>)(
    "explains what is missing when messaging is %s, and leads to Conversations",
    async (_case, status, explanation) => {
      mockShell(
        messagingShell(status, {
          [ada]: [sampleRoom(invitedRoom, { membership: "invited" })],
        }),
      );
      let closed = false;
      render(ShareDialog, {
        resourceId: "res-1",
        title: "Leaves",
        licence: "CC-BY-4.0",
        onclose: () => (closed = true),
      });
      const unavailable = await screen.findByTestId("share-unavailable");
      expect(unavailable.textContent).toContain(explanation);
      expect(targets()).toHaveLength(0);
      expect(screen.queryByTestId("share-send")).toBeNull();

      await fireEvent.click(within(unavailable).getByTestId("share-open-conversations"));
      expect(closed).toBe(true);
      expect(navigation.section).toBe("conversations");
    },
  );
});

const card: ResourceCard = {
  resourceId: "res-9",
  revisionId: "rev-9",
  title: "<b>Leaves</b> <img src=x onerror=alert(1)>",
  description: "Label the parts of a leaf.",
  creators: ["Ana Souza", "Ben Okafor"],
  licence: "CC-BY-SA-4.0",
  language: "en",
  attribution: "“Leaves” by Ana Souza and Ben Okafor, licensed under CC BY-SA 4.0.",
  sources: ["“Leaf worksheet” by Carla Dias, licensed under CC BY 4.0."],
};

const shared: MessageInfo = sampleMessage("$card", ben, "leaves.commonplace", {
  kind: "file",
  resource: card,
});

function report(outcome: BundleOutcome): BundleImport {
  return {
    resources: [{ id: "res-9", title: "<b>Leaves</b>", outcome }],
    collection: null,
    newRevisions: 1,
  };
}

describe("a resource shared in a conversation", () => {
  it("shows as a card: title, creators, licence, credit and sources, all as text", async () => {
    mockShell();
    await loadLicences();
    render(MessageItem, { message: shared, userId: ada, own: false, roomEncrypted: true });

    const shown = screen.getByTestId("resource-card");
    expect(shown.dataset["resourceId"]).toBe("res-9");
    expect(screen.getByTestId("resource-card-title").textContent?.trim()).toBe(card.title);
    // Nothing on the card is markup, whatever the sender wrote.
    expect(shown.querySelector("b, img")).toBeNull();
    expect(shown.textContent).toContain("By Ana Souza and Ben Okafor");
    const badge = within(shown).getByTestId("licence-badge");
    expect(badge.dataset["licence"]).toBe("CC-BY-SA-4.0");
    expect(badge.textContent?.trim()).toBe("CC BY-SA 4.0");
    expect(screen.getByTestId("resource-card-attribution").textContent).toBe(card.attribution);
    const sources = screen.getByTestId("resource-card-sources");
    expect(sources.textContent).toContain("Adapted from:");
    expect(sources.textContent).toContain("“Leaf worksheet” by Carla Dias");
    // The card replaces the plain file line.
    expect(screen.queryByTestId("message-body")).toBeNull();
  });

  it.each([
    ["added", "Saved to your library."],
    ["diverged", "You both changed it: open it and use Bring in changes."],
  ] satisfies Array<[BundleOutcome, string]>)(
    "saves with the account in use and says so when %s, with a way to open it",
    async (outcome, said) => {
      mockShell({ messaging_save_resource: { ok: report(outcome) } });
      render(MessageItem, { message: shared, userId: ada, own: false, roomEncrypted: true });
      expect(screen.queryByTestId("resource-card-saved")).toBeNull();

      await fireEvent.click(screen.getByTestId("resource-card-save"));
      const saved = await screen.findByTestId("resource-card-saved");
      expect(argsOf("messaging_save_resource")).toEqual([
        { request: { userId: ada, eventId: "$card" } },
      ]);
      expect(saved.dataset["outcome"]).toBe(outcome);
      expect(saved.textContent).toContain(said);
      expect(screen.queryByTestId("resource-card-save")).toBeNull();

      await fireEvent.click(within(saved).getByTestId("resource-card-open"));
      expect(navigation.section).toBe("library");
      expect(libraryRequests.open).toBe("res-9");
    },
  );

  it("says inline why saving failed, and lets the person try again", async () => {
    mockShell({ messaging_save_resource: ipcError("io", "the download was interrupted") });
    render(MessageItem, { message: shared, userId: ada, own: false, roomEncrypted: true });
    await fireEvent.click(screen.getByTestId("resource-card-save"));
    const error = await screen.findByTestId("resource-card-error");
    expect(error.textContent).toContain("the download was interrupted");
    expect(screen.queryByTestId("resource-card-saved")).toBeNull();
    expect((screen.getByTestId("resource-card-save") as HTMLButtonElement).disabled).toBe(false);
  });

  it("opens the saved resource's details in the library", async () => {
    const saved = sampleResource("res-9", "Leaves");
    mockShell({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 1 } },
      library_search_resources: { ok: [sampleHit("res-9", "Leaves")] },
      library_count_resources: { ok: 1 },
      library_get_resource: { ok: saved },
      library_get_preview: { ok: { kind: "none" } },
      history_get_lineage: { ok: { ...noLineage, resourceId: "res-9" } },
      history_get_merge: { ok: null },
      ...messagingShell(
        { lock: "unlocked", keyring: "unavailable", accounts: [sampleAccount(ada)] },
        { [ada]: [sampleRoom(directRoom, { directWith: ben })] },
      ),
      messaging_list_messages: { ok: [shared] },
      messaging_save_resource: { ok: report("added") },
    });
    render(App);
    await fireEvent.click(await screen.findByTestId("nav-conversations"));
    await fireEvent.click(await screen.findByTestId("room-row"));
    await fireEvent.click(await screen.findByTestId("resource-card-save"));
    await fireEvent.click(await screen.findByTestId("resource-card-open"));

    const detail = await screen.findByTestId("resource-detail");
    expect(detail.dataset["resourceId"]).toBe("res-9");
    expect(screen.getByTestId("nav-library").getAttribute("aria-current")).toBe("page");
    expect(libraryRequests.open).toBeNull();
  });
});
