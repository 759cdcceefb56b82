package dev.outrigger.ambassador.ring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.outrigger.ambassador.Shard;
import org.jspecify.annotations.Nullable;

/**
 * Picks the shard for a key exactly as twemproxy 0.5.0 ({@code nutcracker}) does for the
 * same servers, names, weights, {@code hash}, {@code distribution} and {@code hash_tag},
 * so that the ambassador and a twemproxy in front of the same Redis servers agree on
 * every key.
 * <p>
 * What twemproxy does, and so what this does:
 * <ul>
 * <li>It orders the servers by name (shorter names first, then bytewise) when it
 * validates its configuration ({@code conf_validate_server}); that order, not the order
 * written, decides {@code modula} slots and which of two equal {@code ketama} points
 * wins.</li>
 * <li>{@code ketama}: a server of weight w among N servers of total weight W gets
 * {@code floorf(w/W · 40 · N) · 4} points (float32 arithmetic); for k = 0, 1, … the MD5
 * digest of {@code name-k} gives four little-endian points. A key goes to the first point
 * at or after its hash, wrapping to the lowest; of equal points, the one built first
 * (stable sort).</li>
 * <li>{@code modula}: slot {@code hash % W}, each server owning {@code weight}
 * consecutive slots.</li>
 * <li>{@code random}: any server, uniformly, whatever the key and weights.</li>
 * <li>The hash tag is applied first; an empty key (or an empty tag's whole key) hashes to
 * 0; a ring of one shard hashes nothing.</li>
 * </ul>
 * A ring is immutable and thread-safe; {@link #locate} allocates nothing.
 */
public final class ShardRing {

	private static final int POINTS_PER_DIGEST = 4;

	/**
	 * Twemproxy's buffer for {@code name-k} is 86 bytes; a longer one is cut and hashed
	 * wrongly.
	 */
	private static final int MAX_POINT_KEY_BYTES = 85;

	private static final long RING_SIZE = 1L << 32;

	private final List<Shard> shards;

	private final HashFunction hash;

	private final Distribution distribution;

	private final @Nullable HashTag tag;

	/** The shards in twemproxy's order: by name, shorter first, then bytewise. */
	private final Shard[] servers;

	/**
	 * Ketama: the points in ascending unsigned order, stored with the sign bit flipped.
	 */
	private final int[] points;

	/** Ketama: the owner of each point. */
	private final Shard[] owners;

	/** Modula: the end (exclusive) of each server's slots, in {@link #servers} order. */
	private final long[] slotEnds;

	private final long totalWeight;

	private ShardRing(List<Shard> shards, HashFunction hash, Distribution distribution, @Nullable HashTag tag) {
		this.shards = shards;
		this.hash = hash;
		this.distribution = distribution;
		this.tag = tag;
		this.servers = twemproxyOrder(shards);
		this.slotEnds = new long[this.servers.length];
		long total = 0;
		for (int i = 0; i < this.servers.length; i++) {
			total += this.servers[i].weight();
			this.slotEnds[i] = total;
		}
		this.totalWeight = total;
		if (distribution == Distribution.KETAMA) {
			Continuum continuum = Continuum.build(this.servers, total);
			this.points = continuum.points();
			this.owners = continuum.owners();
		}
		else {
			this.points = new int[0];
			this.owners = new Shard[0];
		}
	}

	/**
	 * A ring over {@code shards}.
	 * @param shards the servers, each with a distinct, non-empty name and a weight of at
	 * least 1
	 * @param hash the key hash
	 * @param distribution how keys are spread
	 * @param tag the hash tag, or {@code null} to hash whole keys
	 * @throws IllegalArgumentException if there are no shards, two share a name, a weight
	 * is below 1, the weights add up to more than 2³² − 1, or (ketama) a name is too long
	 * for twemproxy
	 */
	public static ShardRing of(List<Shard> shards, HashFunction hash, Distribution distribution,
			@Nullable HashTag tag) {
		Objects.requireNonNull(hash, "hash");
		Objects.requireNonNull(distribution, "distribution");
		List<Shard> copy = List.copyOf(shards);
		if (copy.isEmpty()) {
			throw new IllegalArgumentException("A shard ring needs at least one shard");
		}
		Set<String> names = new HashSet<>();
		long total = 0;
		for (Shard shard : copy) {
			if (shard.name().isEmpty() || shard.name().indexOf('\0') >= 0) {
				throw new IllegalArgumentException("Shard " + shard + " needs a non-empty name without NUL");
			}
			if (!names.add(shard.name())) {
				throw new IllegalArgumentException("Two shards are named '" + shard.name() + "': names must be unique");
			}
			if (shard.weight() < 1) {
				throw new IllegalArgumentException(
						"Shard '" + shard.name() + "' has weight " + shard.weight() + ": weights must be at least 1");
			}
			total += shard.weight();
		}
		if (total > 0xffff_ffffL) {
			throw new IllegalArgumentException(
					"The weights add up to " + total + ": twemproxy counts them in 32 bits, keep the sum below 2^32");
		}
		return new ShardRing(copy, hash, distribution, tag);
	}

	/** The shard for {@code key[offset, offset + length)}. */
	public Shard locate(byte[] key, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, key.length);
		Shard[] servers = this.servers;
		if (servers.length == 1) {
			return servers[0];
		}
		if (this.distribution == Distribution.RANDOM) {
			return servers[ThreadLocalRandom.current().nextInt(servers.length)];
		}
		int start = offset;
		int size = length;
		HashTag tag = this.tag;
		if (tag != null) {
			long span = tag.span(key, offset, length);
			start = (int) (span >>> 32);
			size = (int) span;
		}
		int hash = (size == 0) ? 0 : this.hash.hash(key, start, size);
		return (this.distribution == Distribution.KETAMA) ? onContinuum(hash) : inSlot(hash);
	}

	/** The shard for {@code key}. */
	public Shard locate(byte[] key) {
		return locate(key, 0, key.length);
	}

	/** The shards, in the order given to {@link #of}. */
	public List<Shard> shards() {
		return this.shards;
	}

	public HashFunction hash() {
		return this.hash;
	}

	public Distribution distribution() {
		return this.distribution;
	}

	public @Nullable HashTag tag() {
		return this.tag;
	}

	/**
	 * A ring with the same settings over the shards not in {@code ejected}, as twemproxy
	 * rebuilds its continuum when {@code auto_eject_hosts} takes servers out (their
	 * points are dropped and the survivors' recomputed for the new count and total
	 * weight).
	 * @throws IllegalArgumentException if no shard would remain
	 */
	public ShardRing without(Collection<Shard> ejected) {
		Set<Shard> out = new HashSet<>(ejected);
		List<Shard> remaining = this.shards.stream().filter((shard) -> !out.contains(shard)).toList();
		if (remaining.isEmpty()) {
			throw new IllegalArgumentException("Ejecting " + ejected + " would leave no shard");
		}
		if (remaining.size() == this.shards.size()) {
			return this;
		}
		return new ShardRing(remaining, this.hash, this.distribution, this.tag);
	}

	/**
	 * Each shard's fraction of the 32-bit hash space, in {@link #shards()} order; they
	 * add up to 1. For {@code random} it is each shard's chance. (With {@code crc16} or
	 * the 15-bit {@code crc32} the hashes cover only the low end of the ring, so the key
	 * shares differ from these.)
	 */
	public Map<Shard, Double> shares() {
		Map<Shard, Long> owned = new LinkedHashMap<>();
		for (Shard shard : this.shards) {
			owned.put(shard, 0L);
		}
		if (this.servers.length == 1) {
			owned.put(this.servers[0], RING_SIZE);
		}
		else if (this.distribution == Distribution.KETAMA) {
			int last = this.points.length - 1;
			for (int i = 0; i <= last; i++) {
				// point i takes the hashes after the previous point, up to and including
				// its own
				long previous = (i == 0) ? unsigned(this.points[last]) - RING_SIZE : unsigned(this.points[i - 1]);
				owned.merge(this.owners[i], unsigned(this.points[i]) - previous, Long::sum);
			}
		}
		else if (this.distribution == Distribution.MODULA) {
			// slots below RING_SIZE % W are hit once more than the others
			long perSlot = RING_SIZE / this.totalWeight;
			long extra = RING_SIZE % this.totalWeight;
			long slotStart = 0;
			for (int i = 0; i < this.servers.length; i++) {
				long slotEnd = this.slotEnds[i];
				long favoured = Math.max(0, Math.min(slotEnd, extra) - slotStart);
				owned.put(this.servers[i], (slotEnd - slotStart) * perSlot + favoured);
				slotStart = slotEnd;
			}
		}
		else {
			for (Shard server : this.servers) {
				owned.put(server, RING_SIZE / this.servers.length);
			}
		}
		Map<Shard, Double> shares = new LinkedHashMap<>();
		owned.forEach((shard, count) -> shares.put(shard, (double) count / RING_SIZE));
		return Collections.unmodifiableMap(shares);
	}

	/**
	 * Ketama: the continuum's points as unsigned values, ascending; empty for other
	 * distributions.
	 */
	long[] continuum() {
		return Arrays.stream(this.points).mapToLong(ShardRing::unsigned).toArray();
	}

	/** Ketama: the owner of each point of {@link #continuum()}. */
	List<Shard> continuumOwners() {
		return List.of(this.owners);
	}

	/** The shards in twemproxy's order, which decides modula slots and ketama ties. */
	List<Shard> twemproxyOrder() {
		return List.of(this.servers);
	}

	@Override
	public String toString() {
		return "ShardRing[" + this.distribution.twemproxyName() + ", " + this.hash.twemproxyName()
				+ ((this.tag != null) ? ", tag " + this.tag : "") + ", " + this.shards.size() + " shards]";
	}

	private Shard onContinuum(int hash) {
		int[] points = this.points;
		int wanted = hash ^ Integer.MIN_VALUE;
		int low = 0;
		int high = points.length;
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (points[middle] < wanted) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return this.owners[(low == points.length) ? 0 : low];
	}

	private Shard inSlot(int hash) {
		long slot = Integer.toUnsignedLong(hash) % this.totalWeight;
		long[] ends = this.slotEnds;
		int low = 0;
		int high = ends.length - 1;
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (ends[middle] <= slot) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return this.servers[low];
	}

	private static Shard[] twemproxyOrder(List<Shard> shards) {
		Comparator<Shard> byLength = Comparator.comparingInt((shard) -> utf8(shard.name()).length);
		Comparator<Shard> byBytes = (a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()));
		return shards.stream().sorted(byLength.thenComparing(byBytes)).toArray(Shard[]::new);
	}

	/**
	 * The ketama continuum: the points in ascending unsigned order (stored with the sign
	 * bit flipped, so that signed comparison orders them) and their owners. Equal points
	 * stay in the order they were built, as twemproxy's {@code qsort} (glibc's merge
	 * sort, which is stable) leaves them, and the search takes the first of them.
	 */
	private record Continuum(int[] points, Shard[] owners) {

		static Continuum build(Shard[] servers, long totalWeight) {
			int count = servers.length;
			int[] pointCounts = new int[count];
			int total = 0;
			for (int i = 0; i < count; i++) {
				pointCounts[i] = ketamaPoints(servers[i].weight(), totalWeight, count);
				total += pointCounts[i];
			}
			// each entry: (flipped value) << 32 | build order, so that sorting keeps
			// equal values in build order
			long[] entries = new long[total];
			Shard[] builtBy = new Shard[total];
			int built = 0;
			for (int i = 0; i < count; i++) {
				Shard server = servers[i];
				byte[] name = utf8(server.name());
				for (int k = 0; k < pointCounts[i] / POINTS_PER_DIGEST; k++) {
					byte[] pointKey = pointKey(name, k, server.name());
					byte[] digest = HashFunction.Md5.digest(pointKey, 0, pointKey.length);
					for (int word = 0; word < POINTS_PER_DIGEST; word++) {
						int value = HashFunction.Md5.word(digest, word);
						entries[built] = (long) (value ^ Integer.MIN_VALUE) << 32 | built;
						builtBy[built++] = server;
					}
				}
			}
			Arrays.sort(entries);
			int[] points = new int[total];
			Shard[] owners = new Shard[total];
			for (int i = 0; i < total; i++) {
				points[i] = (int) (entries[i] >> 32);
				owners[i] = builtBy[(int) entries[i]];
			}
			return new Continuum(points, owners);
		}

	}

	/**
	 * Twemproxy's {@code ketama_update}, to the float:
	 * {@code floorf(pct · 160 / 4 · N + 1e-10) · 4}.
	 */
	static int ketamaPoints(int weight, long totalWeight, int servers) {
		float pct = (float) weight / (float) totalWeight;
		float perFour = pct * 160 / 4 * (float) servers;
		float nudged = (float) ((double) perFour + 0.0000000001);
		return (int) Math.floor(nudged) * POINTS_PER_DIGEST;
	}

	private static byte[] pointKey(byte[] name, int k, String shownName) {
		byte[] suffix = ("-" + k).getBytes(StandardCharsets.US_ASCII);
		if (name.length + suffix.length > MAX_POINT_KEY_BYTES) {
			throw new IllegalArgumentException("Shard name '" + shownName + "' is too long for ketama: twemproxy cuts '"
					+ shownName + "-" + k + "' to " + MAX_POINT_KEY_BYTES
					+ " bytes (KETAMA_MAX_HOSTLEN) and then hashes bytes past its buffer; use a shorter name");
		}
		byte[] key = Arrays.copyOf(name, name.length + suffix.length);
		System.arraycopy(suffix, 0, key, name.length, suffix.length);
		return key;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static long unsigned(int flipped) {
		return Integer.toUnsignedLong(flipped ^ Integer.MIN_VALUE);
	}

}
