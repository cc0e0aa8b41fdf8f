// Saving the editor's unsaved text as a draft once typing pauses, so nothing is lost if the
// window closes. The timer restarts with every change; a save in flight is never overlapped.

export const AUTOSAVE_DELAY_MS = 3000;

export type AutosaveStatus = "idle" | "pending" | "saving" | "saved" | "failed";

export class DraftAutosaver {
  #save: (text: string) => Promise<void>;
  #delay: number;
  #onstatus: (status: AutosaveStatus) => void;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #pending: string | null = null;
  #running: Promise<void> | null = null;

  constructor(
    save: (text: string) => Promise<void>,
    options: { delayMs?: number; onstatus?: (status: AutosaveStatus) => void } = {},
  ) {
    this.#save = save;
    this.#delay = options.delayMs ?? AUTOSAVE_DELAY_MS;
    this.#onstatus = options.onstatus ?? (() => {});
  }

  /** The text changed: save it once typing has paused for the delay. */
  changed(text: string): void {
    this.#pending = text;
    this.#onstatus("pending");
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#delay);
  }

  /** Whether a change is waiting to be saved. */
  get pending(): boolean {
    return this.#pending !== null;
  }

  /** Saves a waiting change now (after any save in flight). */
  async flush(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#running) await this.#running;
    const text = this.#pending;
    if (text === null) return;
    this.#pending = null;
    this.#onstatus("saving");
    this.#running = this.#save(text).then(
      () => {
        if (this.#pending === null) this.#onstatus("saved");
      },
      () => {
        // Try again with the next change; keep the text so a flush can still save it.
        this.#pending ??= text;
        this.#onstatus("failed");
      },
    );
    try {
      await this.#running;
    } finally {
      this.#running = null;
    }
  }

  /** Forgets a waiting change (the text was saved for real, or thrown away). */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
    this.#onstatus("idle");
  }
}
