/**
 * Adaptive explicit Runge–Kutta integration of y' = f(t, y) for large systems, by the Dormand–Prince
 * RK5(4)7M pair with local extrapolation (the 5th-order solution is propagated) and FSAL: the last stage of
 * an accepted step is the first stage of the next, so a step costs six evaluations of f.
 *   [Reference] Dormand, J. R.; Prince, P. J. (1980). "A family of embedded Runge–Kutta formulae."
 *   J. Comput. Appl. Math. 6, 19–26.
 *   [Reference] Hairer, E.; Nørsett, S. P.; Wanner, G. (1993). Solving Ordinary Differential Equations I,
 *   2nd ed., Springer: §II.4 (error norm, starting step size, step-size controller) and §II.5 (the pair).
 *
 * Error control (HNW II.4): err = √(mean_i (e_i / sc_i)²), sc_i = atol + rtol·max(|y_i|, |ŷ_i|); a step is
 * accepted when err ≤ 1, and the next step is h·min(maxFactor, max(minFactor, safety·err^(−1/5))), with no
 * growth right after a rejection. A step whose error estimate is not finite (overflow, NaN from f) is
 * rejected and retried with h·minFactor; if h falls below the resolution of t the integration stops with
 * a SimulationError.
 *
 * Output times are hit EXACTLY by stepping to them: a step that would pass the next output time is
 * shortened to end on it (no dense-output interpolation), so recorded states carry the full 5th-order
 * accuracy and post-step hooks (e.g. clipping) see every recorded state. The step-size proposal from
 * before the shortening is kept, so frequent output costs at most one extra short step per output time.
 *
 * Explicit: the step is limited by stability to about 3.3/|λ_max| (for diffusion on a network, λ_max is up to
 * twice D times the largest weighted degree), so stiff problems (large hubs × large D) take many small steps.
 *
 * Hot loop: all stage buffers are allocated once in the constructor; a step allocates nothing.
 */
import { SimulationError } from "../errors.js";

/** Right-hand side: write f(t, y) into `dydt` (a preallocated buffer of the state's length). */
export type RightHandSide = (t: number, y: Float64Array, dydt: Float64Array) => void;

/**
 * Called after every accepted step with the new state, which it may modify in place (e.g. clip round-off
 * negatives). Return true when it changed `y`: the derivative at the step's end is then re-evaluated.
 */
export type AfterStep = (t: number, y: Float64Array) => boolean;

export interface OdeOptions {
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance (default 1e-9), in the units of the state. */
  atol?: number;
  /** Most steps attempted, accepted and rejected together, over the integrator's life (default 100 000). */
  maxSteps?: number;
  /** First step size; default chosen by the HNW II.4 starting-step algorithm. */
  initialStep?: number;
  /** Largest step size (default: unbounded). */
  maxStep?: number;
  /** Safety factor of the controller (default 0.9). */
  safety?: number;
  /** Smallest / largest factor by which one step may change h (defaults 0.2 and 10). */
  minFactor?: number;
  maxFactor?: number;
}

export interface OdeStats {
  /** Accepted steps. */
  steps: number;
  /** Rejected steps (error too large or not finite). */
  rejected: number;
  /** Evaluations of the right-hand side. */
  evaluations: number;
}

// Dormand–Prince 5(4) tableau (HNW Table II.5.2).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// Error weights: 5th-order minus embedded 4th-order weights.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

function positive(name: string, value: number, allowInfinity = false): number {
  if (!(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    throw new SimulationError(`ode: ${name} must be a ${allowInfinity ? "" : "finite "}number > 0, got ${value}.`);
  }
  return value;
}

/**
 * A Dormand–Prince integrator holding its state: create it at (t0, y0), then call `advanceTo` with
 * increasing times and read `t` and `y` (the current state; the buffer object changes between steps, so read
 * the property, do not keep the reference).
 */
export class DormandPrince {
  t: number;
  y: Float64Array;
  readonly stats: OdeStats = { steps: 0, rejected: 0, evaluations: 0 };
  afterStep: AfterStep | null = null;

  private yNew: Float64Array;
  private readonly stage: Float64Array;
  private k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private k7: Float64Array;
  private h: number;
  private readonly rtol: number;
  private readonly atol: number;
  private readonly maxSteps: number;
  private readonly maxStep: number;
  private readonly safety: number;
  private readonly minFactor: number;
  private readonly maxFactor: number;

  constructor(private readonly f: RightHandSide, y0: Float64Array, t0 = 0, options: OdeOptions = {}) {
    this.rtol = options.rtol ?? 1e-6;
    this.atol = options.atol ?? 1e-9;
    if (!(this.rtol >= 0 && Number.isFinite(this.rtol))) throw new SimulationError(`ode: rtol must be a finite number ≥ 0, got ${this.rtol}.`);
    if (!(this.atol >= 0 && Number.isFinite(this.atol))) throw new SimulationError(`ode: atol must be a finite number ≥ 0, got ${this.atol}.`);
    if (this.rtol === 0 && this.atol === 0) throw new SimulationError("ode: rtol and atol are both 0; give at least one a positive value.");
    this.maxSteps = options.maxSteps ?? 100_000;
    if (!(Number.isInteger(this.maxSteps) && this.maxSteps >= 1)) throw new SimulationError(`ode: maxSteps must be an integer ≥ 1, got ${this.maxSteps}.`);
    this.maxStep = positive("maxStep", options.maxStep ?? Infinity, true);
    this.safety = options.safety ?? 0.9;
    this.minFactor = options.minFactor ?? 0.2;
    this.maxFactor = options.maxFactor ?? 10;
    if (!(this.safety > 0 && this.safety < 1)) throw new SimulationError(`ode: safety must lie in (0, 1), got ${this.safety}.`);
    if (!(this.minFactor > 0 && this.minFactor < 1 && this.maxFactor > 1 && Number.isFinite(this.maxFactor))) {
      throw new SimulationError(`ode: expected 0 < minFactor < 1 < maxFactor < ∞, got ${this.minFactor} and ${this.maxFactor}.`);
    }
    if (!Number.isFinite(t0)) throw new SimulationError(`ode: the initial time must be finite, got ${t0}.`);
    const len = y0.length;
    for (let i = 0; i < len; i++) {
      if (!Number.isFinite(y0[i])) throw new SimulationError(`ode: initial value y[${i}] = ${y0[i]} is not finite.`);
    }
    this.t = t0;
    this.y = Float64Array.from(y0);
    this.yNew = new Float64Array(len);
    this.stage = new Float64Array(len);
    this.k1 = new Float64Array(len);
    this.k2 = new Float64Array(len);
    this.k3 = new Float64Array(len);
    this.k4 = new Float64Array(len);
    this.k5 = new Float64Array(len);
    this.k6 = new Float64Array(len);
    this.k7 = new Float64Array(len);
    this.evaluate(t0, this.y, this.k1);
    this.checkDerivative(t0, this.k1);
    this.h = options.initialStep !== undefined ? positive("initialStep", options.initialStep) : this.startingStep();
  }

  private evaluate(t: number, y: Float64Array, out: Float64Array): void {
    this.f(t, y, out);
    this.stats.evaluations++;
  }

  private checkDerivative(t: number, dydt: Float64Array): void {
    for (let i = 0; i < dydt.length; i++) {
      if (!Number.isFinite(dydt[i])) {
        throw new SimulationError(`ode: the right-hand side is not finite (component ${i} = ${dydt[i]}) at t = ${t}; check the model's parameters and initial values.`);
      }
    }
  }

  /** Scaled RMS norm of v with scale atol + rtol·|y| (HNW II.4). */
  private norm(v: Float64Array, y: Float64Array): number {
    let sum = 0;
    for (let i = 0; i < v.length; i++) {
      const s = v[i] / (this.atol + this.rtol * Math.abs(y[i]));
      sum += s * s;
    }
    return v.length > 0 ? Math.sqrt(sum / v.length) : 0;
  }

  /** HNW II.4 "starting step size": h0 from ‖y0‖/‖f0‖, refined by one Euler step's curvature estimate. */
  private startingStep(): number {
    const { y, k1: f0, stage: y1, k2: f1 } = this;
    const d0 = this.norm(y, y);
    const d1 = this.norm(f0, y);
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
    h0 = Math.min(h0, this.maxStep);
    for (let i = 0; i < y.length; i++) y1[i] = y[i] + h0 * f0[i];
    this.evaluate(this.t + h0, y1, f1);
    for (let i = 0; i < y.length; i++) y1[i] = f1[i] - f0[i];
    const d2 = this.norm(y1, y) / h0;
    const big = Math.max(d1, d2);
    const h1 = big <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / big) ** (1 / 5);
    const h = Math.min(100 * h0, h1, this.maxStep);
    return Number.isFinite(h) && h > 0 ? h : 1e-6;
  }

  /** Attempt one step of size h from (t, y): fills yNew, k7 and returns the scaled error norm. */
  private trialStep(h: number): number {
    const { y, stage: s, k1, k2, k3, k4, k5, k6, k7, yNew } = this;
    const t = this.t;
    const len = y.length;
    for (let i = 0; i < len; i++) s[i] = y[i] + h * A21 * k1[i];
    this.evaluate(t + C2 * h, s, k2);
    for (let i = 0; i < len; i++) s[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    this.evaluate(t + C3 * h, s, k3);
    for (let i = 0; i < len; i++) s[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    this.evaluate(t + C4 * h, s, k4);
    for (let i = 0; i < len; i++) s[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    this.evaluate(t + C5 * h, s, k5);
    for (let i = 0; i < len; i++) s[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    this.evaluate(t + h, s, k6);
    for (let i = 0; i < len; i++) yNew[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    this.evaluate(t + h, yNew, k7);
    let sum = 0;
    for (let i = 0; i < len; i++) {
      const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const sc = this.atol + this.rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      const r = e / sc;
      sum += r * r;
    }
    return len > 0 ? Math.sqrt(sum / len) : 0;
  }

  /**
   * Integrate up to `tEnd` (≥ the current t), landing on it exactly. Throws SimulationError when the step
   * budget is spent or the step size underflows (non-finite values or a blow-up).
   */
  advanceTo(tEnd: number): void {
    if (!(tEnd >= this.t) || !Number.isFinite(tEnd)) {
      throw new SimulationError(`ode: cannot advance from t = ${this.t} to ${tEnd}; output times must be finite and increasing.`);
    }
    let justRejected = false;
    while (this.t < tEnd) {
      if (this.stats.steps + this.stats.rejected >= this.maxSteps) {
        throw new SimulationError(
          `ode: ${this.maxSteps} steps were not enough to reach t = ${tEnd} (stopped at t = ${this.t}, step ${this.h.toExponential(3)}); ` +
            "raise maxSteps, loosen rtol/atol, or check for stiffness (large diffusion × degree) or a solution that blows up.",
        );
      }
      let h = Math.min(this.h, this.maxStep);
      let last = false;
      if (this.t + 1.01 * h >= tEnd) {
        h = tEnd - this.t;
        last = true;
      }
      if (!(h > 0) || this.t + h === this.t) {
        throw new SimulationError(`ode: the step size underflowed at t = ${this.t} (h = ${h}); the solution is probably not finite or blows up there.`);
      }
      const err = this.trialStep(h);
      if (!(err <= 1)) {
        // Rejected: shrink (a non-finite error estimate shrinks by the smallest factor).
        this.stats.rejected++;
        const factor = Number.isFinite(err) ? Math.max(this.minFactor, this.safety * err ** -0.2) : this.minFactor;
        this.h = h * Math.min(factor, 1);
        justRejected = true;
        continue;
      }
      this.stats.steps++;
      const grow = Math.min(justRejected ? 1 : this.maxFactor, Math.max(this.minFactor, err === 0 ? this.maxFactor : this.safety * err ** -0.2));
      const proposal = h * grow;
      // A step shortened to land on tEnd says nothing against the longer step proposed before it.
      this.h = last && h < this.h && grow >= 1 ? Math.max(this.h, proposal) : proposal;
      justRejected = false;
      this.t = last ? tEnd : this.t + h;
      // Accept: swap buffers (no copies) — y ← yNew, and FSAL: k1 ← k7.
      const y = this.y;
      this.y = this.yNew;
      this.yNew = y;
      const k = this.k1;
      this.k1 = this.k7;
      this.k7 = k;
      if (this.afterStep !== null && this.afterStep(this.t, this.y)) this.evaluate(this.t, this.y, this.k1);
    }
  }
}

/**
 * Integrate from (times[0], y0) and call `onOutput(k, t, y)` at every output time times[k] (times[0]
 * included, before any step); `y` is the integrator's buffer, valid only during the call. Returns the step
 * counts.
 */
export function integrate(
  f: RightHandSide,
  y0: Float64Array,
  times: ArrayLike<number>,
  onOutput: (k: number, t: number, y: Float64Array) => void,
  options: OdeOptions & { afterStep?: AfterStep } = {},
): OdeStats {
  if (times.length === 0) throw new SimulationError("ode: at least one output time is needed.");
  const solver = new DormandPrince(f, y0, times[0], options);
  if (options.afterStep) solver.afterStep = options.afterStep;
  onOutput(0, solver.t, solver.y);
  for (let k = 1; k < times.length; k++) {
    solver.advanceTo(times[k]);
    onOutput(k, solver.t, solver.y);
  }
  return { ...solver.stats };
}

/**
 * Record times k·record for k = 0, 1, … while ≤ tmax (with a 1e-12 relative allowance so that tmax itself is
 * recorded when it is a multiple of `record`), as the stochastic engines' trajectories do.
 */
export function recordTimes(tmax: number, record: number, caller: string): number[] {
  if (!(tmax > 0 && Number.isFinite(tmax))) throw new SimulationError(`${caller}: time.tmax must be a finite number > 0, got ${tmax}.`);
  if (!(record > 0 && Number.isFinite(record))) throw new SimulationError(`${caller}: time.record must be a finite interval > 0, got ${record}.`);
  if (tmax / record > 1e6) throw new SimulationError(`${caller}: time.record = ${record} gives more than 10^6 record times up to tmax = ${tmax}; use a coarser record interval.`);
  const times: number[] = [];
  for (let k = 0; k * record <= tmax * (1 + 1e-12); k++) times.push(k * record);
  return times;
}
