/**
 * This server instance among the others on the same store: an id (`host:pid:random`), a heartbeat written to
 * the store every `leaseMs / 3`, and the list of instances alive now — those whose heartbeat is younger than
 * the lease, less those on this machine whose process is gone (a crashed server restarted within the lease
 * would otherwise wait a whole lease for its runs to be recovered).
 *
 * Start-up recovery fails only the running jobs of instances that are not alive (recover.ts), and a cancel
 * of a job running on a live instance is sent to it (jobs.ts). Lease 30 s by default: three missed
 * heartbeats (an event loop stalled 30 s) before another instance treats this one as dead; clocks of the
 * machines must agree to well within that.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Store } from "../store/types.js";

export class Instance {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    /** options.leaseMs (30 s by default). */
    readonly leaseMs: number,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Write the first heartbeat (awaited: start-up fails when the store does) and keep beating. */
  async start(): Promise<void> {
    await this.store.heartbeat(this.id);
    this.timer = setInterval(() => {
      this.store.heartbeat(this.id).catch((error: Error) => this.log(`spreadlab server: heartbeat to the store failed (${error.message}).`));
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /** Stop beating and forget this instance, so that nobody waits a lease for it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.store.removeInstance(this.id).catch(() => {});
  }

  /** Ids of the instances alive now, this one included. */
  async live(): Promise<string[]> {
    const cutoff = new Date(Date.now() - this.leaseMs).toISOString();
    const rows = await this.store.instances();
    return rows.filter((r) => r.id === this.id || (r.heartbeatAt > cutoff && !deadHere(r.id))).map((r) => r.id);
  }

  async isAlive(id: string): Promise<boolean> {
    return (await this.live()).includes(id);
  }
}

/** An instance id of this machine whose process no longer exists. */
function deadHere(id: string): boolean {
  const [host, pid] = id.split(":");
  if (host !== hostname() || !/^\d+$/.test(pid ?? "")) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "ESRCH";
  }
}
