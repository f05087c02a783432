// The letterhead logo as an image URL for previews, fetched once (as raw bytes) and replaced
// when Settings changes it.
import { api } from "./ipc";

let cached: Promise<string | null> | null = null;

/** The logo's URL, or `null` when there is none. */
export function letterheadUrl(): Promise<string | null> {
  cached ??= api
    .letterheadLogo()
    .then((bytes) => (bytes.byteLength > 0 ? URL.createObjectURL(new Blob([bytes], { type: "image/png" })) : null))
    .catch(() => null);
  return cached;
}

/** Forgets the logo (it was replaced or removed). */
export function logoChanged() {
  const old = cached;
  cached = null;
  old?.then((url) => url && URL.revokeObjectURL(url));
}
