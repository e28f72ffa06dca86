/**
 * The human summary `spreadlab run` prints: every number with a label and a unit. Compartmental models lead
 * with infections (final size and attack rate; vaccinated nodes apart), endemic models with their endemic
 * prevalence, cascades with the nodes ever active, reaction–diffusion fields with labelled totals.
 */
import type { SimulationResult } from "../families/compartmental/simulate.js";
import type { FieldResult } from "../families/field/reaction-diffusion.js";

const num = (x: number) => (Math.abs(x) >= 1e5 ? x.toExponential(3) : String(Number(x.toPrecision(6))));

function fieldSummary(r: FieldResult): string[] {
  const { finalSizeVariable, peakVariable, units } = r.solver;
  return [
    `  peak ${peakVariable} (sum over nodes)   ${num(r.peak.mean)} at t = ${num(r.peak.time.mean)}`,
    `  final ${finalSizeVariable} (sum over nodes)  ${num(r.finalSize.mean)} at t = ${num(r.times.at(-1) ?? 0)}`,
    ...(units ? [`  units: ${units}`] : []),
    `  ${r.events.total} integrator steps in ${r.elapsedMs.toFixed(0)} ms`,
  ];
}

export function summary(r: SimulationResult): string {
  const last = r.times.length - 1;
  const at = `  at t = ${r.times[last]}: ${r.compartments.map((c) => `${c} ${num(r.mean[c][last])}`).join(", ")}`;
  if ("solver" in r) {
    // A deterministic field: totals over the nodes, not counts of nodes.
    return [`${r.scenario}: ${r.model} on ${r.n} nodes (${r.engine.name})`, at.replace(": ", " (sums over nodes): "), ...fieldSummary(r as FieldResult)].join("\n");
  }
  const pct = (x: number) => `${((100 * x) / r.n).toFixed(2)}%`;
  const pm = (x: { mean: number; sd: number }) => `${x.mean.toFixed(1)} ± ${x.sd.toFixed(1)}`;
  const lines = [`${r.scenario}: ${r.model} on ${r.n} nodes, ${r.runs} run${r.runs > 1 ? "s" : ""}, seed ${r.seed} (${r.engine.name})`];
  if (r.compartments.includes("active") && r.compartments.includes("inactive")) {
    lines.push(`  ever active (final size)  ${pm(r.finalSize)} nodes (${pct(r.finalSize.mean)})`);
    lines.push(`  most new activations      ${pm(r.peak)} nodes in round ${r.peak.time.mean.toFixed(2)} ± ${r.peak.time.sd.toFixed(2)}`);
  } else {
    if (r.prevalence) {
      const [t0, t1] = r.prevalence.window;
      lines.push(`  endemic prevalence  ${pm(r.prevalence)} infectious nodes (${pct(r.prevalence.mean)} of nodes, mean over t in [${num(t0)}, ${num(t1)}])`);
      lines.push(`  ever infected       ${pm(r.finalSize)} nodes (${pct(r.finalSize.mean)})`);
    } else {
      lines.push(`  final size  ${pm(r.finalSize)} infections (attack rate ${pct(r.finalSize.mean)})`);
    }
    if (r.vaccinated) lines.push(`  vaccinated  ${pm(r.vaccinated)} nodes (${pct(r.vaccinated.mean)}; not infections)`);
    if (r.testing) {
      const t = r.testing;
      lines.push(`  testing  ${pm(t.tests)} tests, ${pm(t.positives)} positive, ${pm(t.isolations)} isolated per run`);
      lines.push(`  tracing  ${pm(t.traced)} contacts traced, ${pm(t.quarantined)} quarantined (${pm(t.quarantinedUninfected)} of them uninfected) per run`);
    }
    lines.push(`  peak infectious  ${pm(r.peak)} nodes at t = ${r.peak.time.mean.toFixed(2)} ± ${r.peak.time.sd.toFixed(2)}`);
  }
  lines.push(at, `  ${r.events.total} events in ${r.elapsedMs.toFixed(0)} ms`);
  return lines.join("\n");
}
