package dev.outrigger.ambassador;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The ambassador-proxy container: the app talks to localhost as if to one Redis (or one
 * HTTP server); the ambassador shards its requests over many.
 */
@SpringBootApplication
public class AmbassadorApplication {

	/** Netty reads this once, when its leak detector class loads. */
	static final String LEAK_DETECTION = "io.netty.leakDetection.level";

	public static void main(String[] args) {
		leakDetectionOffUnlessSet();
		SpringApplication.run(AmbassadorApplication.class, args);
	}

	/**
	 * Netty's leak detector (on by default) touches every message and records a stack
	 * trace for sampled buffers: measured at 9 % of the proxy's CPU per request. The
	 * tests run it paranoid; an operator chasing a leak sets
	 * {@code -Dio.netty.leakDetection.level=simple} in {@code JAVA_TOOL_OPTIONS}.
	 */
	static void leakDetectionOffUnlessSet() {
		if (System.getProperty(LEAK_DETECTION) == null) {
			System.setProperty(LEAK_DETECTION, "disabled");
		}
	}

}
