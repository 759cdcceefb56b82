package dev.outrigger.election.kafka;

import org.jspecify.annotations.Nullable;

/**
 * One record of an election topic: a term that began ({@code leader} set) or ended
 * ({@code leader} null, written by a leader that stepped down). Stored as the text
 * {@code <epoch>,<leader>} under the election's name, so the compacted topic keeps the
 * newest.
 *
 * @param epoch the term's fencing token, 1 for the first term of an election
 * @param leader the candidate that began the term, or {@code null} when it was released
 */
record EpochRecord(long epoch, @Nullable String leader) {

	EpochRecord {
		if (epoch < 1) {
			throw new IllegalArgumentException("epoch must be at least 1, was " + epoch);
		}
	}

	static EpochRecord began(long epoch, String leader) {
		return new EpochRecord(epoch, leader);
	}

	static EpochRecord released(long epoch) {
		return new EpochRecord(epoch, null);
	}

	/** Reads a record's value; {@code null} when it is not one of ours. */
	static @Nullable EpochRecord parse(@Nullable String value) {
		if (value == null) {
			return null;
		}
		int comma = value.indexOf(',');
		if (comma < 1) {
			return null;
		}
		try {
			long epoch = Long.parseLong(value, 0, comma, 10);
			String leader = value.substring(comma + 1);
			return (epoch < 1) ? null : new EpochRecord(epoch, leader.isEmpty() ? null : leader);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	String format() {
		return this.epoch + "," + ((this.leader != null) ? this.leader : "");
	}

}
