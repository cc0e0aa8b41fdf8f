// Short, non-blocking messages ("Import arrives in the next version."), shown by NoticeRegion.

export type Notice = { id: number; message: string };

const DEFAULT_DURATION_MS = 6000;

export const notices = $state<Notice[]>([]);

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** Shows a message for a few seconds. The same message twice restarts its timer, not a copy. */
export function notify(message: string, durationMs = DEFAULT_DURATION_MS): number {
  const existing = notices.find((notice) => notice.message === message);
  const id = existing?.id ?? nextId++;
  if (!existing) notices.push({ id, message });
  clearTimeout(timers.get(id));
  timers.set(
    id,
    setTimeout(() => dismiss(id), durationMs),
  );
  return id;
}

export function dismiss(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  const index = notices.findIndex((notice) => notice.id === id);
  if (index !== -1) notices.splice(index, 1);
}

export function dismissAll(): void {
  for (const notice of [...notices]) dismiss(notice.id);
}
