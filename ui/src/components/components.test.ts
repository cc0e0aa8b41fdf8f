import { fireEvent, render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { describe, expect, it, vi } from "vitest";
import Callout from "./Callout.svelte";
import ConfirmDialog from "./ConfirmDialog.svelte";
import FormActions from "./FormActions.svelte";
import FormCard from "./FormCard.svelte";
import Icon, { type IconName } from "./Icon.svelte";
import LoadFailed from "./LoadFailed.svelte";
import TextField from "./TextField.svelte";

const question = {
  title: "Restore this version?",
  body: "The current version stays in the history.",
  confirmLabel: "Restore",
  cancelLabel: "Cancel",
  confirmTestId: "confirm",
  onconfirm: () => {},
  oncancel: () => {},
};

describe("ConfirmDialog", () => {
  it("paints the confirm button red unless told the action is harmless", () => {
    render(ConfirmDialog, question);
    const confirm = screen.getByTestId("confirm");
    expect(confirm.classList.contains("button-danger")).toBe(true);
    expect(confirm.classList.contains("button-primary")).toBe(false);
  });

  it("uses the primary button for a harmless confirmation", () => {
    render(ConfirmDialog, { ...question, tone: "primary" });
    const confirm = screen.getByTestId("confirm");
    expect(confirm.classList.contains("button-primary")).toBe(true);
    expect(confirm.classList.contains("button-danger")).toBe(false);
    // The tone changes only the look: it is still a question, and focus starts on the safe choice.
    expect(screen.getByRole("alertdialog").textContent).toContain("Restore this version?");
    expect(document.activeElement?.textContent?.trim()).toBe("Cancel");
  });
});

const text = (html: string) => createRawSnippet(() => ({ render: () => html }));

describe("LoadFailed", () => {
  it("says what failed and why, as an alert, and tries again when asked", async () => {
    const retry = vi.fn();
    render(LoadFailed, {
      message: "The messages could not be loaded.",
      detail: "school.example.org could not be reached",
      retry,
    });
    const alert = screen.getByRole("alert");
    expect(alert.querySelector(".title")?.textContent).toBe("The messages could not be loaded.");
    expect(alert.querySelector(".mono")?.textContent).toBe(
      "school.example.org could not be reached",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("leaves the detail out when there is none", () => {
    render(LoadFailed, {
      message: "The collection could not be loaded.",
      retry: () => {},
      small: true,
    });
    expect(screen.getByRole("alert").querySelector(".mono")).toBeNull();
    expect(screen.getByRole("button").classList.contains("button-small")).toBe(true);
  });
});

describe("Callout", () => {
  it("is a note with its title, text and test id", () => {
    render(Callout, {
      tone: "warning",
      icon: "lock",
      title: "Private copy",
      testid: "notice",
      children: text("<p>Only for your own teaching.</p>"),
    });
    const notice = screen.getByTestId("notice");
    expect(notice.getAttribute("role")).toBe("note");
    expect(notice.querySelector(".title")?.textContent).toBe("Private copy");
    expect(notice.textContent).toContain("Only for your own teaching.");
  });

  it("can be an alert, and passes its id and data attributes through", () => {
    render(Callout, {
      tone: "danger",
      icon: "warning",
      role: "alert",
      testid: "notice",
      id: "described",
      "data-reason": "noDerivatives",
      children: text("<p>Refused.</p>"),
    });
    const notice = screen.getByRole("alert");
    expect(notice.id).toBe("described");
    expect(notice.dataset.testid).toBe("notice");
    expect(notice.dataset.reason).toBe("noDerivatives");
    expect(notice.querySelector(".title")).toBeNull();
  });

  it("draws the icon of its tone unless given another", () => {
    const drawing = (name: IconName) =>
      render(Icon, { name }).container.querySelector("svg")!.innerHTML;
    const cases = [
      { tone: "warning", icon: undefined, expected: drawing("warning") },
      { tone: "info", icon: undefined, expected: drawing("info") },
      { tone: "danger", icon: undefined, expected: drawing("alert") },
      { tone: "warning", icon: "lock", expected: drawing("lock") },
    ] as const;
    for (const { tone, icon, expected } of cases) {
      const notice = render(Callout, {
        tone,
        ...(icon ? { icon } : {}),
        children: text("<p>Text.</p>"),
      }).container.querySelector(".callout")!;
      expect(notice.querySelector("svg")!.innerHTML, tone).toBe(expected);
    }
  });

  it("puts its buttons after the text", () => {
    render(Callout, {
      tone: "info",
      icon: "clock",
      testid: "notice",
      children: text("<p>A draft was kept.</p>"),
      actions: text("<button>Restore</button>"),
    });
    const notice = screen.getByTestId("notice");
    expect(notice.lastElementChild?.querySelector("button")?.textContent).toBe("Restore");
  });
});

describe("TextField", () => {
  const describedBy = (input: HTMLElement) =>
    (input.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((id) => id !== "")
      .map((id) => document.getElementById(id)?.textContent?.trim());

  it("labels the input and passes its attributes on", () => {
    render(TextField, {
      label: "Name",
      type: "password",
      placeholder: "Secret",
      "data-testid": "field",
    });
    const input = screen.getByLabelText("Name") as HTMLInputElement;
    expect(input.dataset.testid).toBe("field");
    expect(input.type).toBe("password");
    expect(input.placeholder).toBe("Secret");
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(input.getAttribute("aria-describedby")).toBeNull();
  });

  it("is described by its hint, then why it is refused", () => {
    render(TextField, { label: "Name", hint: "As people know you.", error: "Give a name." });
    const input = screen.getByLabelText("Name");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input)).toEqual(["As people know you.", "Give a name."]);
    expect(screen.getByRole("alert").textContent?.trim()).toBe("Give a name.");
  });

  it("points at a problem said elsewhere in the form", () => {
    const { container } = render(TextField, {
      label: "Name",
      hint: "As people know you.",
      invalid: true,
      describedby: "notice",
    });
    const notice = document.createElement("p");
    notice.id = "notice";
    notice.textContent = "Signing in failed.";
    container.append(notice);
    const input = screen.getByLabelText("Name");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input)).toEqual(["As people know you.", "Signing in failed."]);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("FormActions", () => {
  const actions = { label: "Create", busyLabel: "Creating…", testid: "create" };

  it("cancels, and sends the form it is in", async () => {
    const oncancel = vi.fn();
    render(FormActions, { ...actions, busy: false, oncancel });
    const submit = screen.getByTestId("create") as HTMLButtonElement;
    expect(submit.type).toBe("submit");
    expect(submit.textContent?.trim()).toBe("Create");
    expect(submit.disabled).toBe(false);
    expect(submit.getAttribute("aria-busy")).toBe("false");
    expect(submit.hasAttribute("form")).toBe(false);
    const cancel = screen.getByRole("button", { name: "Cancel" }) as HTMLButtonElement;
    expect(cancel.type).toBe("button");
    await fireEvent.click(cancel);
    expect(oncancel).toHaveBeenCalledOnce();
  });

  it("is disabled and says what is happening while busy", () => {
    render(FormActions, { ...actions, busy: true, oncancel: () => {} });
    const submit = screen.getByTestId("create") as HTMLButtonElement;
    expect(submit.textContent?.trim()).toBe("Creating…");
    expect(submit.disabled).toBe(true);
    expect(submit.getAttribute("aria-busy")).toBe("true");
    expect((screen.getByRole("button", { name: "Cancel" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it("sends a form it is not inside when told its id", () => {
    const form = document.createElement("form");
    form.id = "elsewhere";
    document.body.append(form);
    render(FormActions, { ...actions, busy: false, oncancel: () => {}, form: "elsewhere" });
    expect((screen.getByTestId("create") as HTMLButtonElement).form).toBe(form);
    form.remove();
  });
});

describe("FormCard", () => {
  const card = {
    icon: "folder-plus",
    heading: "New collection",
    lead: "Gather resources under one name.",
    testid: "card",
    children: text("<label>Name <input /></label>"),
  } as const;

  it("is a form named by its heading, with the fields before the actions", () => {
    render(FormCard, {
      ...card,
      onsubmit: () => {},
      oncancel: () => {},
      actions: text("<button>Create</button>"),
    });
    const form = screen.getByRole("form", { name: "New collection" }) as HTMLFormElement;
    expect(form.dataset.testid).toBe("card");
    expect(form.noValidate).toBe(true);
    expect(form.textContent).toContain("Gather resources under one name.");
    expect(form.querySelector("header svg")!.innerHTML).toBe(
      render(Icon, { name: "folder-plus" }).container.querySelector("svg")!.innerHTML,
    );
    expect(form.children[1]?.textContent).toContain("Name");
    expect(form.lastElementChild?.querySelector("button")?.textContent).toBe("Create");
  });

  it("submits, and Escape cancels unless it is busy", async () => {
    const onsubmit = vi.fn((event: SubmitEvent) => event.preventDefault());
    const oncancel = vi.fn();
    const { rerender } = render(FormCard, { ...card, onsubmit, oncancel, "aria-busy": false });
    const form = screen.getByTestId("card");
    await fireEvent.submit(form);
    expect(onsubmit).toHaveBeenCalledOnce();
    await fireEvent.keyDown(screen.getByRole("textbox"), { key: "Escape" });
    expect(oncancel).toHaveBeenCalledOnce();
    await rerender({ busy: true, "aria-busy": true });
    expect(form.getAttribute("aria-busy")).toBe("true");
    await fireEvent.keyDown(screen.getByRole("textbox"), { key: "Escape" });
    expect(oncancel).toHaveBeenCalledOnce();
  });
});
