import { emit } from "@tauri-apps/api/event";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import type { MessagingChanged, VerificationInfo } from "../../api";
import { notices } from "../../components/notices.svelte";
import { setLocale } from "../../i18n";
import {
  fakeMessaging,
  readyToCompare,
  sampleAccount,
  sampleChange,
  sampleDevice,
  sampleEmojis,
  sampleVerification,
  stored,
} from "../../test/messaging";
import { argsOf, ipcError, mockShell, type FakeShell } from "../../test/shell";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const dana = "@dana:school.example.org";

const directRoom = "!direct-ben:school.example.org";

/**
 * Ada at school, in a direct conversation with Ben: his laptop is not verified yet, his old phone
 * is. `verifications` are those the shell already knows of (other devices asking, say).
 */
function school(verifications: VerificationInfo[] = []) {
  return fakeMessaging({
    accounts: [sampleAccount(ada)],
    verifications: { [ada]: verifications },
    rooms: {
      [ada]: [
        stored(directRoom, [], {
          directWith: ben,
          readers: [
            {
              userId: ben,
              membership: "joined",
              devices: [
                sampleDevice("BENLAPTOP", { displayName: "Ben’s laptop" }),
                sampleDevice("BENPHONE", { displayName: "Ben’s old phone", verified: true }),
              ],
            },
          ],
        }),
      ],
    },
  });
}

type Fake = ReturnType<typeof school>;

async function openConversations(shell: FakeShell): Promise<void> {
  mockShell(shell, { events: true });
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-conversations"));
}

const device = (deviceId: string) =>
  screen.getAllByTestId("reader-device").find((found) => found.dataset["deviceId"] === deviceId);
const dialog = () => screen.getByTestId("verification-dialog");
const step = () => screen.queryByTestId("verification-dialog")?.dataset["step"];
const said = () => notices.map((notice) => notice.message);
const emojiNames = () =>
  within(dialog())
    .getAllByTestId("verification-emoji-name")
    .map((name) => name.textContent?.trim());

/** Opens the conversation with Ben and its "People and devices". */
async function openReaders(): Promise<void> {
  const row = await waitFor(() => {
    const found = screen
      .getAllByTestId("room-row")
      .find((candidate) => candidate.dataset["roomId"] === directRoom);
    expect(found).toBeTruthy();
    return found!;
  });
  await fireEvent.click(row);
  await fireEvent.click(await screen.findByTestId("conversation-readers"));
  await waitFor(() => expect(device("BENLAPTOP")).toBeTruthy());
}

/** Presses a button as a person does: focus moves to it. */
async function press(button: HTMLElement): Promise<void> {
  button.focus();
  await fireEvent.click(button);
}

/** Verifies Ben's laptop from the readers panel: the dialog follows `txn-1`. */
async function startWithLaptop(fake: Fake): Promise<void> {
  await openConversations(fake.shell);
  await openReaders();
  await press(within(device("BENLAPTOP")!).getByTestId("reader-device-verify"));
  await waitFor(() => expect(step()).toBe("requested"));
}

/**
 * The shell saying `transactionId` moved on, until `expectation` holds (the section starts
 * listening once it has opened, so the first events may go unheard).
 */
async function announce(
  transactionId: string,
  expectation: () => void,
  extra: Partial<MessagingChanged> = {},
): Promise<void> {
  await waitFor(async () => {
    await emit(
      "messaging-changed",
      sampleChange(ada, { verifications: [transactionId], ...extra }),
    );
    expectation();
  });
}

/** Moves `txn-1` to the emoji and waits for the dialog to show them. */
async function reachCompare(fake: Fake): Promise<void> {
  Object.assign(fake.verification(ada, "txn-1"), readyToCompare);
  await announce("txn-1", () => expect(step()).toBe("compare"));
}

describe("verifying a device from the readers panel", () => {
  it("marks verified devices, offers Verify… on the others, and opens the dialog", async () => {
    const fake = school();
    await openConversations(fake.shell);
    await openReaders();
    const panel = screen.getByTestId("readers-panel");
    expect(panel.textContent).toContain(
      "comparing emoji on both devices, to be sure nobody else is reading",
    );
    const phone = device("BENPHONE")!;
    expect(within(phone).getByTestId("reader-device-verified").textContent).toContain("Verified");
    expect(within(phone).queryByTestId("reader-device-verify")).toBeNull();
    const laptop = device("BENLAPTOP")!;
    expect(within(laptop).queryByTestId("reader-device-verified")).toBeNull();
    const verify = within(laptop).getByTestId("reader-device-verify");
    expect(verify.dataset["deviceId"]).toBe("BENLAPTOP");
    expect(verify.textContent).toContain("Verify…");
    expect(screen.queryByTestId("verification-dialog")).toBeNull();

    await fireEvent.click(verify);
    await waitFor(() => expect(step()).toBe("requested"));
    expect(argsOf("messaging_start_verification")).toEqual([
      { request: { userId: ada, owner: ben, deviceId: "BENLAPTOP" } },
    ]);
    expect(dialog().dataset["transactionId"]).toBe("txn-1");
    expect(dialog().textContent).toContain("Waiting for the other device…");
    expect(dialog().textContent).toContain(ben);
    expect(within(dialog()).getByTestId("verification-cancel")).toBeTruthy();
    // Nothing is asked again until the shell says the verification moved on.
    expect(argsOf("messaging_list_verifications")).toEqual([]);
  });

  it("says why a verification could not be started, in the panel", async () => {
    const fake = school();
    await openConversations({
      ...fake.shell,
      messaging_start_verification: ipcError("io", "school.example.org could not be reached"),
    });
    await openReaders();
    await fireEvent.click(within(device("BENLAPTOP")!).getByTestId("reader-device-verify"));
    expect((await screen.findByTestId("reader-error")).textContent).toContain(
      "school.example.org could not be reached",
    );
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
  });
});

describe("the verification dialog", () => {
  it("shows the seven emoji with their names once the shell says they are ready", async () => {
    const fake = school();
    await startWithLaptop(fake);
    // News of another verification leaves this one alone.
    Object.assign(fake.verification(ada, "txn-1"), readyToCompare);
    await emit("messaging-changed", sampleChange(ada, { verifications: ["txn-other"] }));
    await emit("messaging-changed", sampleChange(ada, { rooms: [directRoom] }));
    expect(step()).toBe("requested");

    await announce("txn-1", () => expect(step()).toBe("compare"));
    expect(argsOf("messaging_list_verifications")[0]).toEqual({ request: { userId: ada } });
    const items = within(dialog()).getAllByTestId("verification-emoji");
    expect(items).toHaveLength(7);
    expect(
      items.map((item) => within(item).getByTestId("verification-emoji-name").textContent?.trim()),
    ).toEqual(["Dog", "Rocket", "Cactus", "Key", "Penguin", "Guitar", "Umbrella"]);
    expect(
      items.map((item) =>
        within(item).getByTestId("verification-emoji-symbol").textContent?.trim(),
      ),
    ).toEqual(sampleEmojis.map((emoji) => emoji.emoji));
    expect(dialog().textContent).toContain("Ask the other person to read theirs aloud.");
    expect(within(dialog()).getByTestId("verification-decimals").textContent).toContain(
      "1234 – 5678 – 9012",
    );
    expect(within(dialog()).getByTestId("verification-match").textContent).toContain("They match");
    expect(within(dialog()).getByTestId("verification-mismatch").textContent).toContain(
      "They don’t match",
    );
  });

  it("names the emoji in the reader's language, and follows a change of language", async () => {
    setLocale("es");
    const fake = school();
    await startWithLaptop(fake);
    await reachCompare(fake);
    expect(emojiNames()).toEqual([
      "Perro",
      "Cohete",
      "Cactus",
      "Llave",
      "Pingüino",
      "Guitarra",
      "Paraguas",
    ]);
    // The pictures are the same in every language.
    expect(
      within(dialog())
        .getAllByTestId("verification-emoji-symbol")
        .map((symbol) => symbol.textContent?.trim()),
    ).toEqual(sampleEmojis.map((emoji) => emoji.emoji));

    setLocale("fr");
    await waitFor(() =>
      expect(emojiNames()).toEqual([
        "Chien",
        "Fusée",
        "Cactus",
        "Clé",
        "Pingouin",
        "Guitare",
        "Parapluie",
      ]),
    );
  });

  it("shows a name it has no translation for as the shell sent it", async () => {
    // A later version of the spec could add an emoji this table does not know yet.
    setLocale("ja");
    const fake = school();
    await startWithLaptop(fake);
    Object.assign(fake.verification(ada, "txn-1"), {
      ...readyToCompare,
      emojis: [{ emoji: "🪁", name: "Kite" }, ...sampleEmojis.slice(1)],
    });
    await announce("txn-1", () => expect(step()).toBe("compare"));
    expect(emojiNames()).toEqual([
      "Kite",
      "ロケット",
      "サボテン",
      "鍵",
      "ペンギン",
      "ギター",
      "傘",
    ]);
  });

  it("confirms when the emoji match, then waits for the other device", async () => {
    const fake = school();
    await startWithLaptop(fake);
    await reachCompare(fake);

    await fireEvent.click(screen.getByTestId("verification-match"));
    await waitFor(() => expect(step()).toBe("confirmed"));
    expect(argsOf("messaging_confirm_verification")).toEqual([
      { request: { userId: ada, transactionId: "txn-1" } },
    ]);
    expect(argsOf("messaging_cancel_verification")).toEqual([]);
    expect(dialog().textContent).toContain("Waiting for the other device to confirm…");
    expect(within(dialog()).queryByTestId("verification-emoji")).toBeNull();
  });

  it("does not go back to the emoji when a list crosses the confirmation", async () => {
    const fake = school();
    await startWithLaptop(fake);
    await reachCompare(fake);
    await fireEvent.click(screen.getByTestId("verification-match"));
    await waitFor(() => expect(step()).toBe("confirmed"));

    // A list that still says `compare` (read before the confirmation took effect, say).
    fake.verification(ada, "txn-1").step = "compare";
    const lists = argsOf("messaging_list_verifications").length;
    await emit("messaging-changed", sampleChange(ada, { verifications: ["txn-1"] }));
    await waitFor(() =>
      expect(argsOf("messaging_list_verifications").length).toBeGreaterThan(lists),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(step()).toBe("confirmed");
  });

  it("cancels as a mismatch when the emoji differ, and warns about the device", async () => {
    const fake = school();
    await startWithLaptop(fake);
    await reachCompare(fake);

    await fireEvent.click(screen.getByTestId("verification-mismatch"));
    await waitFor(() => expect(step()).toBe("cancelled"));
    expect(argsOf("messaging_cancel_verification")).toEqual([
      { request: { userId: ada, transactionId: "txn-1", mismatch: true } },
    ]);
    expect(argsOf("messaging_confirm_verification")).toEqual([]);
    const cancelled = screen.getByTestId("verification-cancelled");
    expect(cancelled.dataset["code"]).toBe("m.mismatched_sas");
    expect(cancelled.getAttribute("role")).toBe("alert");
    expect(cancelled.textContent).toContain(
      "The emoji did not match. Do not trust this device until you have checked with its owner.",
    );
    // Closing it now cancels nothing more.
    await fireEvent.click(screen.getByTestId("verification-close"));
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
    expect(argsOf("messaging_cancel_verification")).toHaveLength(1);
  });

  it("says the device is verified once done, and the panel marks it", async () => {
    const fake = school();
    await startWithLaptop(fake);
    await reachCompare(fake);
    await fireEvent.click(screen.getByTestId("verification-match"));
    await waitFor(() => expect(step()).toBe("confirmed"));
    expect(within(device("BENLAPTOP")!).queryByTestId("reader-device-verified")).toBeNull();

    // Ben confirmed on his laptop too: the shell keeps it as verified.
    fake.verification(ada, "txn-1").step = "done";
    fake.room(ada, directRoom).readers![0]!.devices[0]!.verified = true;
    await announce("txn-1", () => expect(step()).toBe("done"));
    const done = within(dialog()).getByTestId("verification-done");
    expect(done.textContent).toContain("Verified");
    expect(done.textContent).toContain(ben);
    await waitFor(() =>
      expect(within(device("BENLAPTOP")!).getByTestId("reader-device-verified")).toBeTruthy(),
    );
    expect(within(device("BENLAPTOP")!).queryByTestId("reader-device-verify")).toBeNull();

    // Closing a finished verification cancels nothing; focus goes back to the device.
    await press(within(dialog()).getByTestId("verification-close"));
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
    expect(argsOf("messaging_cancel_verification")).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(device("BENLAPTOP")));
    // So Escape now closes the panel.
    await fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByTestId("readers-panel")).toBeNull();
  });

  it.each([
    ["m.user", "Cancelled"],
    ["m.timeout", "Took too long — try again"],
    ["m.key_mismatch", "Security warning"],
    ["m.mismatched_commitment", "Security warning"],
    ["m.unexpected_message", "The verification was cancelled."],
  ])("explains a cancellation with %s", async (code, explanation) => {
    const fake = school();
    await startWithLaptop(fake);
    Object.assign(fake.verification(ada, "txn-1"), {
      step: "cancelled",
      cancelCode: code,
      cancelReason: "Ben’s client gave up",
    });
    await announce("txn-1", () => expect(step()).toBe("cancelled"));
    const cancelled = screen.getByTestId("verification-cancelled");
    expect(cancelled.dataset["code"]).toBe(code);
    expect(cancelled.textContent).toContain(explanation);
    expect(within(cancelled).getByTestId("verification-cancel-reason").textContent).toBe(
      "Ben’s client gave up",
    );
  });

  it("cancels, not as a mismatch, when closed before it has ended", async () => {
    const fake = school();
    await startWithLaptop(fake);
    await reachCompare(fake);

    await fireEvent.click(within(dialog()).getByRole("button", { name: "Close" }));
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
    await waitFor(() =>
      expect(argsOf("messaging_cancel_verification")).toEqual([
        { request: { userId: ada, transactionId: "txn-1", mismatch: false } },
      ]),
    );
    expect(argsOf("messaging_confirm_verification")).toEqual([]);
    // The panel is still there, with the device still to verify.
    expect(within(device("BENLAPTOP")!).getByTestId("reader-device-verify")).toBeTruthy();
  });

  it("cancels with Escape or Cancel while waiting, and says when that failed", async () => {
    const fake = school();
    await startWithLaptop(fake);
    await fireEvent.keyDown(dialog(), { key: "Escape" });
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
    expect(screen.getByTestId("readers-panel")).toBeTruthy();
    await waitFor(() =>
      expect(argsOf("messaging_cancel_verification")).toEqual([
        { request: { userId: ada, transactionId: "txn-1", mismatch: false } },
      ]),
    );

    mockShell(
      {
        ...fake.shell,
        messaging_cancel_verification: ipcError("io", "school.example.org could not be reached"),
      },
      { events: true },
    );
    await fireEvent.click(within(device("BENLAPTOP")!).getByTestId("reader-device-verify"));
    await waitFor(() => expect(step()).toBe("requested"));
    await fireEvent.click(within(dialog()).getByTestId("verification-cancel"));
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
    await waitFor(() =>
      expect(said()).toEqual([
        "The verification couldn’t be cancelled: school.example.org could not be reached",
      ]),
    );
    expect(argsOf("messaging_cancel_verification")).toEqual([
      { request: { userId: ada, transactionId: "txn-2", mismatch: false } },
    ]);
  });

  it("shows the emoji names and the reason as text, never as markup", async () => {
    const fake = school();
    await startWithLaptop(fake);
    const names = [
      "<b>Dog</b>",
      '<img src="x" alt="Cat">',
      ...sampleEmojis.slice(2).map((e) => e.name),
    ];
    Object.assign(fake.verification(ada, "txn-1"), {
      ...readyToCompare,
      emojis: sampleEmojis.map((emoji, index) => ({ ...emoji, name: names[index]! })),
    });
    await announce("txn-1", () => expect(step()).toBe("compare"));
    const shown = within(dialog())
      .getAllByTestId("verification-emoji-name")
      .map((name) => name.textContent?.trim());
    expect(shown).toEqual(names);
    expect(dialog().querySelector("b")).toBeNull();
    expect(dialog().querySelector("img")).toBeNull();

    Object.assign(fake.verification(ada, "txn-1"), {
      step: "cancelled",
      cancelCode: "m.user",
      cancelReason: "<i>gone</i>",
    });
    await announce("txn-1", () => expect(step()).toBe("cancelled"));
    expect(screen.getByTestId("verification-cancel-reason").textContent).toBe("<i>gone</i>");
    expect(dialog().querySelector("i")).toBeNull();
  });
});

describe("another device asking to verify", () => {
  const asking = sampleVerification("incoming-1", {
    otherUser: dana,
    otherDevice: "DANAPHONE",
    weStarted: false,
    step: "incoming",
  });

  it("is offered when the shell names it, and Verify opens the dialog and accepts", async () => {
    // One asked before and never named: it is not offered.
    const fake = school([{ ...asking, transactionId: "incoming-0" }, asking]);
    await openConversations(fake.shell);
    await screen.findByTestId("account-choice");
    expect(screen.queryByTestId("verification-incoming")).toBeNull();

    await announce("incoming-1", () =>
      expect(screen.getAllByTestId("verification-incoming")).toHaveLength(1),
    );
    const banner = screen.getByTestId("verification-incoming");
    expect(banner.dataset["transactionId"]).toBe("incoming-1");
    expect(banner.textContent).toContain(`${dana} wants to verify one of your devices`);
    // It does not stop anything else: no dialog, and the conversations are still there.
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getAllByTestId("room-row")).toHaveLength(1);

    await fireEvent.click(within(banner).getByTestId("verification-incoming-verify"));
    await waitFor(() => expect(step()).toBe("started"));
    expect(argsOf("messaging_accept_verification")).toEqual([
      { request: { userId: ada, transactionId: "incoming-1" } },
    ]);
    expect(dialog().dataset["transactionId"]).toBe("incoming-1");
    expect(dialog().textContent).toContain(dana);
    expect(screen.queryByTestId("verification-incoming")).toBeNull();
  });

  it("is declined with Not now", async () => {
    const fake = school([asking]);
    await openConversations(fake.shell);
    await announce("incoming-1", () => screen.getByTestId("verification-incoming"));

    await fireEvent.click(screen.getByTestId("verification-incoming-decline"));
    await waitFor(() => expect(screen.queryByTestId("verification-incoming")).toBeNull());
    expect(argsOf("messaging_cancel_verification")).toEqual([
      { request: { userId: ada, transactionId: "incoming-1", mismatch: false } },
    ]);
    expect(argsOf("messaging_accept_verification")).toEqual([]);
    expect(screen.queryByTestId("verification-dialog")).toBeNull();
  });

  it("can still be accepted from the dialog when accepting first failed", async () => {
    const fake = school([asking]);
    await openConversations({
      ...fake.shell,
      messaging_accept_verification: ipcError("io", "school.example.org could not be reached"),
    });
    await announce("incoming-1", () => screen.getByTestId("verification-incoming"));
    await fireEvent.click(screen.getByTestId("verification-incoming-verify"));

    expect((await screen.findByTestId("verification-error")).textContent).toContain(
      "school.example.org could not be reached",
    );
    expect(step()).toBe("incoming");
    expect(dialog().textContent).toContain(`${dana} wants to verify this device`);

    mockShell(fake.shell, { events: true });
    await fireEvent.click(within(dialog()).getByTestId("verification-accept"));
    await waitFor(() => expect(step()).toBe("started"));
    expect(screen.queryByTestId("verification-error")).toBeNull();
  });

  it("is offered only for the account in use", async () => {
    const chloe = "@chloe:uni.example.net";
    const fake = fakeMessaging({
      accounts: [sampleAccount(ada), sampleAccount(chloe)],
      verifications: { [chloe]: [asking] },
      rooms: { [ada]: [], [chloe]: [] },
    });
    await openConversations(fake.shell);
    await waitFor(() => expect(screen.getAllByTestId("account-choice")).toHaveLength(2));
    await waitFor(async () => {
      await emit(
        "messaging-changed",
        sampleChange(chloe, { verifications: ["incoming-1"], connection: "offline" }),
      );
      // The section has heard it: Chloe's account is offline now.
      const choice = screen
        .getAllByTestId("account-choice")
        .find((found) => found.dataset["userId"] === chloe);
      expect(choice?.textContent).toContain("Offline");
    });
    expect(argsOf("messaging_list_verifications")).toEqual([]);
    expect(screen.queryByTestId("verification-incoming")).toBeNull();
  });
});
