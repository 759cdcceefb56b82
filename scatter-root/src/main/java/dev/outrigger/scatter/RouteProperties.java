package dev.outrigger.scatter;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One route as an operator writes it: the one route of {@code OUTRIGGER_SCATTER_*}
 * variables, or an entry of {@code routes:} in the file {@code OUTRIGGER_SCATTER_CONFIG}
 * names (the same keys, in kebab case).
 *
 * @param prefix {@code OUTRIGGER_SCATTER_PREFIX}: requests whose path starts with it take
 * this route (the root's own paths, {@code /livez}, {@code /readyz}, {@code /actuator},
 * {@code /lifecycle}, {@code /routes}, never do)
 * @param leaves {@code OUTRIGGER_SCATTER_LEAVES}: the shards, comma separated, each one
 * or more replica URLs separated by {@code |}; or {@code dns:<url>}, every address of the
 * URL's host a shard
 * @param merge {@code OUTRIGGER_SCATTER_MERGE}: concat, sum, topk, first, quorum or merge
 * @param mergePath {@code OUTRIGGER_SCATTER_MERGE_PATH}: JSON pointer to the array in
 * each answer (concat, topk); the answer itself when unset
 * @param mergeField {@code OUTRIGGER_SCATTER_MERGE_FIELD}: topk: JSON pointer to the
 * score within an element, such as {@code /score}
 * @param mergeOrder {@code OUTRIGGER_SCATTER_MERGE_ORDER}: topk: desc (highest first) or
 * asc
 * @param mergeSize {@code OUTRIGGER_SCATTER_MERGE_SIZE}: topk: elements returned when the
 * request has no {@code size} parameter
 * @param mergeId {@code OUTRIGGER_SCATTER_MERGE_ID}: topk: JSON pointer to an element's
 * id; the same id from two shards is kept once (the better one)
 * @param mergeFields {@code OUTRIGGER_SCATTER_MERGE_FIELDS}: sum: JSON pointers of the
 * numbers to add; every number when unset
 * @param mergeQuorum {@code OUTRIGGER_SCATTER_MERGE_QUORUM}: quorum: equal answers
 * needed; a majority of the shards when unset
 * @param timeout {@code OUTRIGGER_SCATTER_TIMEOUT}: the deadline of a request without an
 * {@code Outrigger-Deadline} header
 * @param maxTimeout {@code OUTRIGGER_SCATTER_MAX_TIMEOUT}: the longest deadline a client
 * may ask for
 * @param hedgeDelay {@code OUTRIGGER_SCATTER_HEDGE_DELAY}: p95, a duration, or off
 * @param hedgeBudgetPercent {@code OUTRIGGER_SCATTER_HEDGE_BUDGET_PERCENT}: backups as a
 * share of primary calls, at most
 * @param hedgeNonIdempotent {@code OUTRIGGER_SCATTER_HEDGE_NON_IDEMPOTENT}: hedge methods
 * other than GET, HEAD and OPTIONS too
 * @param partialResults {@code OUTRIGGER_SCATTER_PARTIAL_RESULTS}: answer with what came
 * back when some leaves failed (true), or fail the request (false)
 * @param report {@code OUTRIGGER_SCATTER_REPORT}: where the report goes: auto (the body's
 * {@code _scatter} field when the merged body is a JSON object, else headers), body or
 * headers
 * @param forwardHeaders {@code OUTRIGGER_SCATTER_FORWARD_HEADERS}: request headers passed
 * to the leaves
 * @param maxLeafBytes {@code OUTRIGGER_SCATTER_MAX_LEAF_BYTES}: a larger answer fails its
 * leaf
 * @param stripPrefix {@code OUTRIGGER_SCATTER_STRIP_PREFIX}: forward the path without the
 * route's prefix
 * @param discoveryInterval {@code OUTRIGGER_SCATTER_DISCOVERY_INTERVAL}: how often DNS
 * names are resolved again
 */
public record RouteProperties(@DefaultValue("/") String prefix, @Nullable String leaves,
		@DefaultValue("concat") String merge, @Nullable String mergePath, @Nullable String mergeField,
		@DefaultValue("desc") String mergeOrder, @DefaultValue("10") int mergeSize, @Nullable String mergeId,
		@Nullable List<String> mergeFields, @Nullable Integer mergeQuorum, @DefaultValue("2s") Duration timeout,
		@DefaultValue("30s") Duration maxTimeout, @DefaultValue("p95") String hedgeDelay,
		@DefaultValue("5") double hedgeBudgetPercent, @DefaultValue("false") boolean hedgeNonIdempotent,
		@DefaultValue("true") boolean partialResults, @DefaultValue("auto") String report, @DefaultValue( {
				"Accept", "Accept-Language", "Authorization", "Content-Type", "Traceparent", "Tracestate",
				"X-Request-Id" }) List<String> forwardHeaders,
		@DefaultValue("1MB") DataSize maxLeafBytes, @DefaultValue("false") boolean stripPrefix,
		@DefaultValue("10s") Duration discoveryInterval){

}
