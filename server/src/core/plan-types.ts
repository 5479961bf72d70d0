/** What the planner says about a statement: the two probes of PARALLEL.md section 4. */
export interface PlannerProbe {
  /** With zero parallel costs and sizes, a Gather (Merge) appears somewhere in the plan. */
  parallelPossible: boolean;
  /** With debug_parallel_query on, a single-copy Gather sits on top: every part of the plan is parallel safe. */
  wholePlanSafe: boolean;
  /** Total cost of the plan with the server's settings. */
  serialCost?: number;
  /** Total cost of the plan when parallel costs and size thresholds are zero. */
  parallelCost?: number;
  /** Why the probe could not run (not plannable, parameters on a server before 16, a timeout ...). */
  error?: string;
}
