package dev.outrigger.election;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;
import org.jspecify.annotations.Nullable;

/**
 * Every election this sidecar runs, and their part in the container lifecycle: pause and
 * drain give leadership up (released in the store, so the next leader starts at once);
 * resume campaigns again.
 */
public final class Elections implements LifecycleParticipant {

	private final ElectionBackend backend;

	private final String self;

	private final Map<String, Election> elections = new LinkedHashMap<>();

	private final Map<String, Candidacy> candidacies = new LinkedHashMap<>();

	public Elections(ElectionBackend backend, List<String> names, String self, Clock clock) {
		this.backend = backend;
		this.self = self;
		names.forEach((name) -> this.elections.put(name, new Election(name, self, backend.name(), clock)));
	}

	public String self() {
		return this.self;
	}

	public String backendName() {
		return this.backend.name();
	}

	public List<String> names() {
		return List.copyOf(this.elections.keySet());
	}

	public List<Election> all() {
		return List.copyOf(this.elections.values());
	}

	/** The election called {@code name}, or the first one when {@code name} is null. */
	public @Nullable Election find(@Nullable String name) {
		return (name == null) ? this.elections.values().iterator().next() : this.elections.get(name);
	}

	/** Starts campaigning in every election not already campaigning. */
	public synchronized void campaign() {
		this.elections.forEach((name, election) -> this.candidacies.computeIfAbsent(name,
				(key) -> this.backend.campaign(name, this.self, election)));
	}

	/** Steps down in one election; this candidate keeps campaigning. */
	public synchronized void resign(String name) {
		Candidacy candidacy = this.candidacies.get(name);
		if (candidacy != null) {
			candidacy.resign();
		}
	}

	/** Stops campaigning everywhere, releasing leadership, within {@code deadline}. */
	public void withdraw(Duration deadline) throws InterruptedException {
		List<Map.Entry<String, Candidacy>> stopping;
		synchronized (this) {
			stopping = new ArrayList<>(this.candidacies.entrySet());
			this.candidacies.clear();
		}
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			List<CompletableFuture<Void>> stopped = stopping.stream().map((entry) -> CompletableFuture.runAsync(() -> {
				entry.getValue().stop();
				Election election = this.elections.get(entry.getKey());
				if (election.state().isLeader()) {
					election.observe(LeaderObservation.nobody());
				}
			}, executor)).toList();
			try {
				CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new))
					.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
				// the backends log their own failures; leadership lapses at the lease's
				// end anyway
			}
		}
	}

	@Override
	public String name() {
		return "elections";
	}

	@Override
	public void pause() {
		try {
			withdraw(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void resume() {
		campaign();
	}

	@Override
	public void drain(Duration deadline) throws InterruptedException {
		withdraw(deadline);
	}

	@Override
	public Readiness readiness() {
		// the backend's reason, so the operator need not search the log for it
		List<String> problems = this.elections.values()
			.stream()
			.filter((e) -> e.problem() != null)
			.map((e) -> e.name() + ": " + e.problem())
			.toList();
		if (!problems.isEmpty()) {
			return Readiness
				.notReady("the " + this.backend.name() + " backend cannot answer for " + String.join("; ", problems));
		}
		List<String> waiting = this.elections.values()
			.stream()
			.filter((e) -> !e.hasObserved())
			.map(Election::name)
			.toList();
		return waiting.isEmpty() ? Readiness.ready(this.backend.name() + " backend answered for every election")
				: Readiness.notReady("no answer yet from the " + this.backend.name() + " backend for " + waiting);
	}

}
