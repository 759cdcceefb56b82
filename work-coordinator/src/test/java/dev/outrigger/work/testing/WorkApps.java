package dev.outrigger.work.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.work.WorkCoordinatorApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the real work-coordinator application in the test JVM, as a coordinator or as an
 * agent, on a random port — the same wiring the container runs.
 */
public final class WorkApps {

	private WorkApps() {
	}

	public static ConfigurableApplicationContext coordinator(String bootstrapServers, Map<String, String> settings) {
		return start("coordinator", bootstrapServers, settings);
	}

	/**
	 * @param settings more {@code outrigger.work.*} (or any) properties, e.g.
	 * {@code outrigger.work.queues}, {@code outrigger.work.worker-url},
	 * {@code outrigger.work.engine}
	 */
	public static ConfigurableApplicationContext agent(String bootstrapServers, Map<String, String> settings) {
		return start("agent", bootstrapServers, settings);
	}

	private static ConfigurableApplicationContext start(String mode, String bootstrapServers,
			Map<String, String> settings) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		args.add("--outrigger.work.mode=" + mode);
		args.add("--outrigger.work.kafka.bootstrap-servers=" + bootstrapServers);
		args.add("--outrigger.lifecycle.drain-timeout=10s");
		settings.forEach((name, value) -> args.add("--" + name + "=" + value));
		return SpringApplication.run(WorkCoordinatorApplication.class, args.toArray(String[]::new));
	}

	public static int port(ConfigurableApplicationContext app) {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	public static LoopbackHttp http(ConfigurableApplicationContext app) {
		return new LoopbackHttp(port(app));
	}

}
