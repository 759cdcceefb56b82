import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpServer;

import dev.outrigger.testsupport.kafka.KraftBroker;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The work-coordinator's peers for the footprint bench, outside any container: one embedded
 * KRaft broker (share groups on, as the coordinator's share engine needs) and a worker on
 * loopback:8080 that answers every POST /work with 200 at once. Writes the bootstrap servers to
 * the file named by its argument and runs until its standard input closes.
 *   java -cp <work-coordinator test class path> bench/footprint/FootprintPeers.java <file>
 */
final class FootprintPeers {

	public static void main(String[] args) throws Exception {
		EmbeddedKafkaKraftBroker broker = KraftBroker.nodes(1).shareGroups().fastGroups().start();
		LongAdder calls = new LongAdder();
		HttpServer worker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), 64);
		worker.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		worker.createContext("/work", (exchange) -> {
			try (InputStream in = exchange.getRequestBody()) {
				in.readAllBytes();
			}
			calls.increment();
			byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		worker.start();
		Files.writeString(Path.of(args[0]), broker.getBrokersAsString() + "\n");
		System.out.println("peers: broker " + broker.getBrokersAsString() + ", worker http://127.0.0.1:8080/work");
		try {
			System.in.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// the bench went away: stop as on EOF
		}
		System.out.println("peers: worker answered " + calls.sum() + " calls");
		worker.stop(0);
		broker.destroy();
	}

}
