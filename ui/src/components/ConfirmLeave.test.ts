import { expect, test, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import ConfirmLeave from "./ConfirmLeave.svelte";
import { guard, mayLeave } from "../lib/unsaved.svelte";

test("leaving unsaved changes asks first; Esc or Keep editing stays, and nothing is thrown away", async () => {
  render(ConfirmLeave);
  const discard = vi.fn();
  const remove = guard({ what: "the changes to this template", dirty: () => true, discard });
  const user = userEvent.setup();

  const first = mayLeave();
  const dialog = await screen.findByRole("alertdialog", { name: "Unsaved changes" });
  expect(dialog.textContent).toContain("Leaving now loses the changes to this template.");
  await vi.waitFor(() => expect(document.activeElement?.textContent).toBe("Keep editing"));
  await user.keyboard("{Escape}");
  expect(await first).toBe(false);
  expect(discard).not.toHaveBeenCalled();

  const second = mayLeave();
  await user.click(await screen.findByRole("button", { name: "Leave without saving" }));
  expect(await second).toBe(true);
  expect(discard).toHaveBeenCalledTimes(1);
  // The form left: its guard went with it, so the next move does not ask.
  expect(await mayLeave()).toBe(true);
  remove();
});

test("a request being typed can be left with its draft kept", async () => {
  render(ConfirmLeave);
  const discard = vi.fn();
  const remove = guard({ what: "this request", dirty: () => true, draftKept: true, discard });
  const user = userEvent.setup();
  const leaving = mayLeave();
  expect(await screen.findByRole("alertdialog", { name: "This request is not logged yet" })).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Leave, keep the draft" }));
  expect(await leaving).toBe(true);
  expect(discard).not.toHaveBeenCalled();
  remove();
});
