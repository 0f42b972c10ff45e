/**
 * Timeline mode: a scripted story that changes the demo cluster every few seconds so live updates are
 * visible. Each step changes Pods, EndpointSlices, Events (and Deployments/ReplicaSets when the data has
 * them) together, in the order the real controllers do:
 *
 * 1. a rollout: new Pods start (Pending, then Running but not Ready, then Ready - their endpoints appear
 *    not-ready, then ready), old Pods terminate (endpoints `terminating`, still `serving`), then go away;
 * 2. a Pod falls into CrashLoopBackOff (endpoint not ready, Warning `BackOff` events counting up) and
 *    recovers;
 * 3. a Service's Deployment is scaled to zero (endpoints terminate, then the slice is empty) and back.
 *
 * Targets are picked from the data: healthy Services in prefixed namespaces, or the Services labelled
 * `chainboard.dev/timeline: rollout|crashloop|scale`.
 *
 * This module is the runner; the acts' scripts are in timeline-acts.ts, the choice of Service in
 * timeline-targets.ts, and the controllers the scripts drive in controllers.ts.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
 */
import { DEFAULT_NAMESPACE_PREFIX } from '../lib/chain/options';
import { Controllers } from './controllers';
import type { ClusterState } from './state';
import { ACT_SCRIPTS, ACTS, type Act } from './timeline-acts';
import { pickTarget, type TargetScope } from './timeline-targets';

/** How the story runs. */
export interface TimelineOptions {
  /** Time between steps. Default 4000 ms. */
  intervalMs?: number;
  /** Only Services in namespaces with this prefix are picked. Default: the app's default prefix. */
  namespacePrefix?: string;
  /** Namespaces the story leaves alone (e.g. one kept for certificate and DNS states). */
  excludeNamespaces?: string[];
  now?: () => Date;
}

/** Where the story is, as the admin endpoint reports it. */
export interface TimelineStatus {
  running: boolean;
  steps: number;
  act?: string;
  last?: string;
}

/** The scripted story. `step()` performs one change; `start()` steps on a timer. */
export class Timeline {
  private readonly intervalMs: number;
  private readonly scope: TargetScope;
  private readonly controllers: Controllers;
  private timer: NodeJS.Timeout | undefined;
  private actIndex = 0;
  private current: { act: Act; gen: Generator<string, void, void> } | undefined;
  private steps = 0;
  private last: string | undefined;

  constructor(
    private readonly state: ClusterState,
    opts: TimelineOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 4000;
    this.scope = { prefix: opts.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX, exclude: new Set(opts.excludeNamespaces ?? []) };
    this.controllers = new Controllers(state, opts.now ?? (() => new Date()));
  }

  /** Steps every `intervalMs` until stopped. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.step(), this.intervalMs);
    // The story must never keep a process alive on its own.
    this.timer.unref();
  }

  /** Stops stepping; the act in progress resumes with the next step. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether it runs, how many steps it made, the act in progress and what the last step did. */
  status(): TimelineStatus {
    return { running: this.timer !== undefined, steps: this.steps, act: this.current?.act, last: this.last };
  }

  /** Perform the next change of the story; returns what it did (or why it did nothing). */
  step(): string {
    for (let attempts = 0; attempts < ACTS.length + 1; attempts++) {
      if (!this.current) {
        const act = ACTS[this.actIndex % ACTS.length]!;
        this.actIndex++;
        const target = pickTarget(this.state, act, ACTS.indexOf(act), this.scope);
        if (!target) continue;
        this.current = { act, gen: ACT_SCRIPTS[act](this.controllers, target) };
      }
      let r: IteratorResult<string, void>;
      try {
        r = this.current.gen.next();
      } catch (e) {
        // Someone changed the objects under the story (tests, the admin API): drop this act, go on.
        this.current = undefined;
        this.last = `act abandoned: ${(e as Error).message}`;
        continue;
      }
      if (r.done) {
        this.current = undefined;
        continue;
      }
      this.steps++;
      this.last = r.value;
      return r.value;
    }
    this.last = 'no healthy Service with ready Pods to play the story on';
    return this.last;
  }
}
