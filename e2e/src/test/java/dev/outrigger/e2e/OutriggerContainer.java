package dev.outrigger.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * An Outrigger image started the way it runs in a pod: host networking (all traffic on
 * loopback), its HTTP port moved to a free one so tests never collide.
 */
public class OutriggerContainer extends GenericContainer<OutriggerContainer> {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int httpPort;

	public OutriggerContainer(String module) {
		super(image(module));
		this.httpPort = freePort();
		withNetworkMode("host");
		withEnv("OUTRIGGER_HTTP_PORT", Integer.toString(this.httpPort));
		waitingFor(Wait.forLogMessage(".*Lifecycle STARTING -> RUNNING.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
	}

	/** The image a module's {@code -Pimages} build produced. */
	public static DockerImageName image(String module) {
		return DockerImageName.parse(System.getProperty("outrigger.image.repository", "outrigger") + "/" + module + ":"
				+ System.getProperty("outrigger.image.tag", "latest"));
	}

	public int httpPort() {
		return this.httpPort;
	}

	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	public HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port on loopback", ex);
		}
	}

}
