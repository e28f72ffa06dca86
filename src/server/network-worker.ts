/**
 * Worker thread of the network pool (network-tasks.ts): runs one task of network-build.ts. Errors come back
 * as data (`{ failure }`) so that their names and fields survive the thread boundary.
 */
import { runNetworkTask, toFailure, type NetworkTask, type NetworkTaskResult, type TaskFailure } from "./network-build.js";

export default function networkTask(task: NetworkTask): NetworkTaskResult | TaskFailure {
  try {
    return runNetworkTask(task);
  } catch (error) {
    return toFailure(error);
  }
}
