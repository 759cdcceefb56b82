package dev.outrigger.work.testing;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The work queue's test broker ({@link TestBrokers}) for a whole test class: register it
 * as a static {@code @RegisterExtension} field; it starts before the class's
 * {@code @BeforeAll} methods and is destroyed after its {@code @AfterAll} ones.
 */
public final class WorkBroker implements BeforeAllCallback, AfterAllCallback {

	private final int nodes;

	private @Nullable EmbeddedKafkaKraftBroker broker;

	/** One node. */
	public WorkBroker() {
		this(1);
	}

	/** {@code nodes} nodes (1 or 3). */
	public WorkBroker(int nodes) {
		this.nodes = nodes;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.broker = TestBrokers.workQueue(this.nodes).start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.broker != null) {
			this.broker.destroy();
		}
	}

	public String bootstrapServers() {
		return broker().getBrokersAsString();
	}

	/** The broker itself, for tests that shut a node down. */
	public EmbeddedKafkaKraftBroker broker() {
		if (this.broker == null) {
			throw new IllegalStateException("the broker starts before the test class's @BeforeAll methods");
		}
		return this.broker;
	}

}
