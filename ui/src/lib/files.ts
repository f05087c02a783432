// A file chosen in the window goes to the app as its bytes (not a JSON array of numbers) and
// waits there until the command that keeps, reads or imports it; this returns its id.
import { api } from "./ipc";

export async function stage(file: File): Promise<number> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return api.stageFile(bytes, file.name, file.type || "application/octet-stream");
}
