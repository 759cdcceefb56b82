package dev.outrigger.e2e;

import java.time.Duration;

import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.testsupport.net.LoopbackPorts;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * An Outrigger image started the way it runs in a pod: host networking (all traffic on
 * loopback), its HTTP port moved to a free one so tests never collide.
 */
public class OutriggerContainer extends GenericContainer<OutriggerContainer> {

	private final int httpPort;

	private final LoopbackHttp http;

	public OutriggerContainer(String module) {
		super(image(module));
		this.httpPort = LoopbackPorts.free();
		this.http = new LoopbackHttp(this.httpPort);
		withNetworkMode("host");
		withEnv("OUTRIGGER_HTTP_PORT", Integer.toString(this.httpPort));
		waitingFor(
				Wait.forLogMessage(".*Lifecycle STARTING -> RUNNING.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
	}

	/** The image a module's {@code -Pimages} build produced. */
	public static DockerImageName image(String module) {
		return DockerImageName.parse(System.getProperty("outrigger.image.repository", "outrigger") + "/" + module + ":"
				+ System.getProperty("outrigger.image.tag", "latest"));
	}

	public int httpPort() {
		return this.httpPort;
	}

	/** HTTP to this container's port on loopback. */
	public LoopbackHttp http() {
		return this.http;
	}

}
