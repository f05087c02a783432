// Forms with unsaved changes say so, and leaving one asks first: the intake form (whose draft
// is kept anyway), a case's edit, a letter template, the profile. A form registers a guard
// while it is on screen; navigation calls `mayLeave`, which asks through the dialog in App.

export type Guard = {
  /** What would be lost, for the question: "the changes to this template". */
  what: string;
  dirty: () => boolean;
  /** The changes are kept as a draft: leaving loses nothing, discarding throws them away. */
  draftKept?: boolean;
  /** Throws the changes (or the draft) away. */
  discard?: () => void | Promise<void>;
};

export type Choice = "stay" | "leave" | "discard";

const guards = new Set<Guard>();

/** The question on screen, if any, and how to answer it. */
export const asking = $state<{ question: { what: string; draftKept: boolean } | null; answer: (c: Choice) => void }>({
  question: null,
  answer: () => {},
});

/** Registers a form's guard; returns the function that removes it (an `$effect` cleanup). */
export function guard(g: Guard): () => void {
  guards.add(g);
  return () => guards.delete(g);
}

/** Whether anything on screen has unsaved changes. */
export function anyDirty(): boolean {
  return [...guards].some((g) => g.dirty());
}

/** Asks what to do with `g`'s unsaved changes (the dialog in App); nothing is removed. */
export async function ask(g: Guard): Promise<Choice> {
  const choice = await new Promise<Choice>((resolve) => {
    asking.question = { what: g.what, draftKept: g.draftKept ?? false };
    asking.answer = resolve;
  });
  asking.question = null;
  if (choice === "discard") await g.discard?.();
  return choice;
}

/** `true` when nothing is unsaved, or the person chose to leave (or discard); `false` to stay. */
export async function mayLeave(): Promise<boolean> {
  const dirty = [...guards].find((g) => g.dirty());
  if (!dirty) return true;
  if ((await ask(dirty)) === "stay") return false;
  // The form is leaving the screen: its guard goes with it.
  guards.delete(dirty);
  return true;
}
