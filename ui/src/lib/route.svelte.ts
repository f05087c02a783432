// Where the window is, kept in the URL's hash so that Back and Forward work and a screen
// comes back as it was left: the queue with its search, filters, sort and page; a case; a tab
// of Settings. Leaving a screen with unsaved changes asks first (`unsaved`).
import type { QueueSort } from "./bindings/QueueSort";
import { mayLeave } from "./unsaved.svelte";

export type QueueState = {
  search: string;
  status: string;
  kind: string;
  entity: string;
  assignee: string;
  from: string;
  to: string;
  sort: QueueSort;
  page: number;
};

export type SettingsTab = "deadlines" | "organisation" | "verification" | "letters" | "desk" | "backups" | "history";
export const SETTINGS_TABS: SettingsTab[] = ["deadlines", "organisation", "verification", "letters", "desk", "backups", "history"];

export type Route =
  | { name: "queue"; queue: QueueState }
  | { name: "case"; number: string }
  | { name: "dashboard" }
  | { name: "reports" }
  | { name: "intake" }
  | { name: "import" }
  | { name: "settings"; tab: SettingsTab };

export const EMPTY_QUEUE: QueueState = {
  search: "",
  status: "",
  kind: "",
  entity: "",
  assignee: "",
  from: "",
  to: "",
  sort: "newest-first",
  page: 1,
};

const SORTS: QueueSort[] = ["newest-first", "oldest-first", "number", "requester", "status", "kinds", "channel", "next-due"];
const QUEUE_KEYS: (keyof QueueState)[] = ["search", "status", "kind", "entity", "assignee", "from", "to", "sort", "page"];

/** The route a hash (`#/queue?search=ana&page=2`) names; anything unknown is the queue. */
export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case "case":
      return parts[1] ? { name: "case", number: decodeURIComponent(parts[1]) } : queueRoute(params);
    case "dashboard":
      return { name: "dashboard" };
    case "reports":
      return { name: "reports" };
    case "intake":
      return { name: "intake" };
    case "import":
      return { name: "import" };
    case "settings": {
      const tab = SETTINGS_TABS.find((t) => t === parts[1]) ?? "deadlines";
      return { name: "settings", tab };
    }
    default:
      return queueRoute(params);
  }
}

function queueRoute(params: URLSearchParams): Route {
  const queue: QueueState = { ...EMPTY_QUEUE };
  for (const key of QUEUE_KEYS) {
    const value = params.get(key);
    if (value === null) continue;
    if (key === "page") queue.page = Math.max(1, Math.floor(Number(value)) || 1);
    else if (key === "sort") queue.sort = SORTS.find((s) => s === value) ?? "newest-first";
    else queue[key] = value;
  }
  return { name: "queue", queue };
}

/** The hash of a route; a queue left as it starts has none of its keys. */
export function formatRoute(route: Route): string {
  switch (route.name) {
    case "case":
      return `#/case/${encodeURIComponent(route.number)}`;
    case "settings":
      return `#/settings/${route.tab}`;
    case "queue": {
      const params = new URLSearchParams();
      for (const key of QUEUE_KEYS) {
        const value = route.queue[key];
        if (value !== EMPTY_QUEUE[key]) params.set(key, String(value));
      }
      const query = params.toString();
      return query ? `#/queue?${query}` : "#/queue";
    }
    default:
      return `#/${route.name}`;
  }
}

class Router {
  current = $state<Route>(parseRoute(typeof location === "undefined" ? "" : location.hash));
  /** The queue as last seen, for the Queue button and for coming back from a case. */
  lastQueue = $state<QueueState>({ ...EMPTY_QUEUE });

  constructor() {
    if (this.current.name === "queue") this.lastQueue = this.current.queue;
    if (typeof window === "undefined") return;
    window.addEventListener("popstate", () => void this.followHistory());
  }

  /** Goes to `route` once any unsaved changes were dealt with; `false` if the person stayed. */
  async go(route: Route, options: { replace?: boolean; force?: boolean } = {}): Promise<boolean> {
    if (!options.force && !this.sameScreen(route) && !(await mayLeave())) return false;
    this.set(route);
    const hash = formatRoute(route);
    if (hash !== location.hash) {
      if (options.replace) history.replaceState(null, "", hash);
      else history.pushState(null, "", hash);
    }
    return true;
  }

  /** The queue's own changes (search, filters, page) replace its entry rather than piling up. */
  setQueue(queue: QueueState) {
    void this.go({ name: "queue", queue }, { replace: true, force: true });
  }

  private sameScreen(route: Route): boolean {
    return route.name === "queue" && this.current.name === "queue";
  }

  private set(route: Route) {
    this.current = route;
    if (route.name === "queue") this.lastQueue = route.queue;
  }

  private async followHistory() {
    const next = parseRoute(location.hash);
    const back = formatRoute(this.current);
    if (!this.sameScreen(next) && !(await mayLeave())) {
      // The person stayed: the address goes back to the screen still shown.
      history.pushState(null, "", back);
      return;
    }
    this.set(next);
  }
}

export const router = new Router();
