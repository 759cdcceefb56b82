package dev.outrigger.election.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.kafka.KafkaClientSettings;

/**
 * Leader election decided by Kafka's group coordinator, as Schema Registry and Kafka
 * Connect do.
 * <p>
 * Election {@code e} uses topic and consumer group {@code <topicPrefix>e}: one partition,
 * compacted. Every candidate joins the group (classic protocol, cooperative sticky
 * assignor, {@code session.timeout.ms} = the lease, {@code heartbeat.interval.ms} = the
 * retry period); the member assigned partition 0 may lead. It then opens a transactional
 * producer whose {@code transactional.id} is the same for every candidate, so
 * initializing it fences the previous leader's producer; reads the topic to its end with
 * {@code read_committed}; and commits the next epoch record. Only then does it report
 * itself leader, with that epoch as its fencing token, so tokens rise with every term and
 * survive restarts of every candidate. Followers report the leader of the newest
 * committed epoch record.
 * <p>
 * A leader that hears nothing from the coordinator for the renew deadline reports it no
 * longer leads, before the coordinator can expire its session (the lease) and assign
 * partition 0 to anyone else. A stopping leader reports it first, then leaves the group,
 * so the next one starts within about a retry period.
 * <p>
 * The broker bounds the session timeout by {@code group.min.session.timeout.ms} (6 s by
 * default) and {@code group.max.session.timeout.ms}; a lease outside them is clamped and
 * a warning says so.
 */
public final class KafkaElectionBackend implements ElectionBackend {

	/**
	 * Every client id of the backend starts with it: {@code outrigger-election-admin},
	 * {@code outrigger-election-<election>-<candidate>-member}, {@code -reader},
	 * {@code -writer}.
	 */
	public static final String CLIENT_INSTANCE = "outrigger-election";

	private final String topicPrefix;

	private final ElectionTimings timings;

	private final ClientSettings settings;

	private final ElectionAdmin admin;

	private final ScheduledExecutorService watchdog;

	private final Set<KafkaCandidacy> candidacies = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** A backend whose clients need nothing but the bootstrap servers. */
	public KafkaElectionBackend(String bootstrapServers, String topicPrefix, short replicationFactor,
			ElectionTimings timings) {
		this(new KafkaClientSettings(bootstrapServers, CLIENT_INSTANCE), topicPrefix, replicationFactor, timings);
	}

	/**
	 * @param clients the bootstrap servers and the operator's passthrough
	 * ({@code OUTRIGGER_ELECTION_KAFKA_PROPERTIES_*}); instance
	 * {@value #CLIENT_INSTANCE}, to which each candidacy's clients add election,
	 * candidate and role
	 */
	public KafkaElectionBackend(KafkaClientSettings clients, String topicPrefix, short replicationFactor,
			ElectionTimings timings) {
		if (replicationFactor < 1) {
			throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
		}
		this.topicPrefix = (topicPrefix != null) ? topicPrefix : "";
		this.timings = timings;
		this.settings = new ClientSettings(clients);
		this.admin = new ElectionAdmin(this.settings.admin(), replicationFactor, timings);
		this.watchdog = Executors.newSingleThreadScheduledExecutor(
				Thread.ofPlatform().daemon(true).name("outrigger-election-kafka-watchdog").factory());
	}

	@Override
	public String name() {
		return "kafka";
	}

	@Override
	public Candidacy campaign(String election, String candidate, ElectionObserver observer) {
		if (this.closed.get()) {
			throw new IllegalStateException("The Kafka election backend is closed");
		}
		KafkaCandidacy candidacy = new KafkaCandidacy(election, candidate, this.topicPrefix + election, this.timings,
				this.admin, this.settings, observer, this.candidacies::remove);
		this.candidacies.add(candidacy);
		candidacy.start(this.watchdog);
		return candidacy;
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		// stop whatever is still campaigning, each within its renew deadline, all at once
		List<Thread> stopping = List.copyOf(this.candidacies)
			.stream()
			.map((candidacy) -> Thread.ofVirtual().start(candidacy::stop))
			.toList();
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.watchdog.shutdownNow();
		this.admin.close();
	}

}
