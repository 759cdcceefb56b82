package dev.outrigger.ambassador.resp;

import org.jspecify.annotations.Nullable;

/**
 * What the proxy does with one command, and where its keys are (Redis' own key-spec
 * convention: first key, last key with negatives counting from the end, step).
 *
 * @param action forward, split, answer locally or reject
 * @param minArgs fewest arguments, counting the name, needed to find the keys
 * @param firstKey index of the first key; for {@link Action#NUMKEYS}, the index of
 * numkeys
 * @param lastKey index of the last key, -1 = the last argument
 * @param step distance between keys (2 for key/value pairs)
 * @param reason why a rejected command is refused
 */
record CommandSpec(Action action, int minArgs, int firstKey, int lastKey, int step, @Nullable String reason) {

	enum Action {

		/** All keys must live on one shard; the original bytes go there. */
		FORWARD,
		/**
		 * Like FORWARD, but {@code firstKey} points at a numkeys argument (EVAL,
		 * ZUNION…).
		 */
		NUMKEYS,
		/** MGET: split per shard, merge in key order. */
		SPLIT_MGET,
		/** MSET: key/value pairs split per shard, +OK only if every shard said OK. */
		SPLIT_MSET,
		/** DEL, UNLINK, EXISTS, TOUCH: split per shard, integers summed. */
		SPLIT_SUM,
		/** Answered by the proxy itself. */
		LOCAL,
		/** Refused with {@code -ERR reason}; the connection stays usable. */
		REJECT

	}

	static CommandSpec keys(int minArgs, int firstKey, int lastKey, int step) {
		return new CommandSpec(Action.FORWARD, minArgs, firstKey, lastKey, step, null);
	}

	static CommandSpec numkeys(int minArgs, int numkeysIndex, int keysBefore) {
		// keysBefore: keys that precede numkeys (the destination of ZUNIONSTORE)
		return new CommandSpec(Action.NUMKEYS, minArgs, numkeysIndex, keysBefore, 1, null);
	}

	static CommandSpec of(Action action, int minArgs) {
		return new CommandSpec(action, minArgs, 1, -1, (action == Action.SPLIT_MSET) ? 2 : 1, null);
	}

	static CommandSpec reject(String reason) {
		return new CommandSpec(Action.REJECT, 1, 0, 0, 0, reason);
	}

}
