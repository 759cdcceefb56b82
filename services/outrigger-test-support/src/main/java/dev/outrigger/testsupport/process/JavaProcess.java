package dev.outrigger.testsupport.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spring Boot application of the test's own class path in a JVM of its own, on a free
 * loopback port ({@code --server.port}), ready once a path of its answers 200: for crash
 * tests that kill the process (SIGKILL) where closing a context in the test JVM would be
 * an orderly stop. Its working directory is the process's own (relative paths in its
 * arguments land there, and go with it).
 */
public final class JavaProcess extends ServerProcess {

	/** A JVM with a Spring context on a busy two-core machine. */
	private static final Duration START_WITHIN = Duration.ofSeconds(90);

	private final String mainClass;

	private final List<String> arguments;

	private final String readyPath;

	private JavaProcess(String name, Class<?> mainClass, List<String> arguments, String readyPath) {
		super(name, null);
		this.mainClass = mainClass.getName();
		this.arguments = List.copyOf(arguments);
		this.readyPath = readyPath;
	}

	/**
	 * Starts {@code mainClass} with {@code arguments} (such as {@code --name=value}) and
	 * waits until {@code readyPath} answers 200.
	 */
	public static JavaProcess start(String name, Class<?> mainClass, List<String> arguments, String readyPath) {
		JavaProcess process = new JavaProcess(name, mainClass, arguments, readyPath);
		process.startOnFreePort();
		return process;
	}

	@Override
	protected List<String> command(int port) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// small and quick to start: a test JVM beside others on two cores
		command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), this.mainClass));
		command.add("--server.port=" + port);
		command.addAll(this.arguments);
		return command;
	}

	@Override
	protected Duration listenWithin() {
		return START_WITHIN;
	}

	@Override
	protected void awaitReady() {
		URI ready = URI.create("http://127.0.0.1:" + port() + this.readyPath);
		long deadline = System.nanoTime() + START_WITHIN.toNanos();
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
			while (System.nanoTime() < deadline) {
				try {
					HttpResponse<Void> answer = http.send(
							HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
							HttpResponse.BodyHandlers.discarding());
					if (answer.statusCode() == 200) {
						return;
					}
				}
				catch (IOException ex) {
					// not answering yet
				}
				Thread.sleep(200);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this, ex);
		}
		throw new IllegalStateException(this + " did not answer 200 on " + this.readyPath + " within "
				+ START_WITHIN.toSeconds() + " s; its log:\n" + log());
	}

}
