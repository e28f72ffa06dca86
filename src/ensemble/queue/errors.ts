/** The queue's error, apart from common.ts so that the library's declarations do not pull in Redis types. */
import { SpreadlabError } from "../../errors.js";

/** Redis is unreachable or went away, or the queue failed a batch. Exit code 1 (a runtime failure). */
export class QueueError extends SpreadlabError {
  override name = "QueueError";
}
