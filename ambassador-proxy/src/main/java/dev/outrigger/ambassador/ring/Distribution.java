package dev.outrigger.ambassador.ring;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How twemproxy 0.5.0 spreads keys over servers ({@code distribution:} in its
 * configuration).
 */
public enum Distribution {

	/**
	 * Consistent hashing on a libketama continuum: 160 points per server at equal
	 * weights, each server's share proportional to its weight.
	 */
	KETAMA,

	/**
	 * Slot {@code hash % total weight}, each server taking as many consecutive slots as
	 * its weight, servers in twemproxy's order (by name: shorter first, then bytewise),
	 * not the order written.
	 */
	MODULA,

	/** A server picked at random for every request, ignoring the key and the weights. */
	RANDOM;

	/**
	 * The name twemproxy's {@code distribution:} setting uses, such as {@code ketama}.
	 */
	public String twemproxyName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The distribution called {@code name} in twemproxy's configuration ({@code ketama},
	 * {@code modula}, {@code random}); case and surrounding blanks are ignored.
	 * @throws IllegalArgumentException if no distribution has that name; the message
	 * lists the names
	 */
	public static Distribution parse(String name) {
		String wanted = name.strip().toLowerCase(Locale.ROOT);
		for (Distribution distribution : values()) {
			if (distribution.twemproxyName().equals(wanted)) {
				return distribution;
			}
		}
		throw new IllegalArgumentException("Unknown distribution '" + name + "': use one of "
				+ Arrays.stream(values()).map(Distribution::twemproxyName).collect(Collectors.joining(", ")));
	}

}
