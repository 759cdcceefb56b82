package dev.outrigger.work.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.outrigger.testsupport.process.JavaProcess;
import dev.outrigger.work.WorkCoordinatorApplication;

/**
 * The work-coordinator application in a JVM of its own, for tests that kill it (SIGKILL)
 * as a node failure or the OOM killer would. Its status store lives in the process's own
 * directory, so a process started again gets a fresh one.
 */
public final class WorkProcesses {

	private WorkProcesses() {
	}

	/**
	 * @param settings more {@code outrigger.work.*} (or any) properties
	 */
	public static JavaProcess start(String mode, String bootstrapServers, Map<String, String> settings) {
		List<String> args = new ArrayList<>();
		args.add("--outrigger.work.mode=" + mode);
		args.add("--outrigger.work.kafka.bootstrap-servers=" + bootstrapServers);
		args.add("--outrigger.work.store.dir=status-store");
		args.add("--outrigger.lifecycle.drain-timeout=10s");
		settings.forEach((name, value) -> args.add("--" + name + "=" + value));
		return JavaProcess.start("work-" + mode, WorkCoordinatorApplication.class, args, "/readyz");
	}

}
