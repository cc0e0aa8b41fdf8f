import { render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { describe, expect, it } from "vitest";
import Callout from "./Callout.svelte";
import ConfirmDialog from "./ConfirmDialog.svelte";

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
