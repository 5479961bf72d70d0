/**
 * What the planner says about a statement: the two probes of PARALLEL.md section 4, plus the costs
 * that say by how much a parallel plan wins or loses. Costs are the planner's arbitrary units
 * (top node "Total Cost"), comparable only within one server and one statement.
 */
export interface PlannerProbe {
  /** With zero parallel costs and size thresholds (probe A), a Gather (Merge) appears somewhere in the plan. */
  parallelPossible: boolean;
  /** With debug_parallel_query on (probe B), a single-copy Gather sits on top: every part of the plan is parallel safe. */
  wholePlanSafe: boolean;
  /** Cost of the best plan without parallel query (max_parallel_workers_per_gather = 0), other settings as the session has them. */
  serialCost?: number;
  /**
   * Cost of probe A's plan when it is parallel: parallel_setup_cost and parallel_tuple_cost are
   * zero there, so it is a lower bound. If it is not below serialCost, parallel query cannot pay
   * off for this statement on this server; if it is, the server's setup/tuple costs or size
   * thresholds decide. Absent when no parallel plan is possible.
   */
  parallelCost?: number;
  /** Cost of the plan the session would run now, with its own settings. */
  chosenCost?: number;
  /** The plan the session would run now contains a Gather (Merge). */
  chosenParallel?: boolean;
  /**
   * The session's max_parallel_workers_per_gather. When it is 0 no statement gets a parallel plan;
   * the probes then plan with 2 so that they still judge the statement itself.
   */
  workersPerGather?: number;
  /** Why the probe could not run (not plannable, parameters on a server before 16, a timeout ...). */
  error?: string;
}
