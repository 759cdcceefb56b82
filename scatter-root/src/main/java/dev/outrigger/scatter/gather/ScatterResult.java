package dev.outrigger.scatter.gather;

import dev.outrigger.scatter.merge.Merged;

/**
 * A request's answer: the merged body and the report.
 *
 * @param merged the merge's result
 * @param report what each leaf did
 */
public record ScatterResult(Merged merged, ScatterReport report) {

}
