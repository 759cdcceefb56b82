package dev.outrigger.testsupport.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Timeout(120)
class ServerProcessTests {

	@Test
	void redisAnswersAndComesBackAfterAKill() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			assertThat(call(redis.port(), "PING\r\n")).startsWith("+PONG");
			redis.kill();
			redis.restart();
			assertThat(call(redis.port(), "PING\r\n")).startsWith("+PONG");
		}
	}

	@Test
	void nutcrackerProxiesToItsShards() throws Exception {
		try (RedisServer a = RedisServer.start();
				RedisServer b = RedisServer.start();
				NutcrackerServer nutcracker = NutcrackerServer.start(
						List.of("127.0.0.1:" + a.port() + ":1 a", "127.0.0.1:" + b.port() + ":1 b"),
						Map.of("hash", "md5"))) {
			// twemproxy speaks RESP arrays only, no inline commands
			assertThat(call(nutcracker.port(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")).startsWith("+OK");
			assertThat(call(nutcracker.port(), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")).isEqualTo("$1\r\nv\r\n");
		}
	}

	@Test
	void aPortAnotherProcessTookIsNotTakenForOursAndAnotherPortIsTried() throws Exception {
		List<ServerSocket> squatters = new ArrayList<>();
		try {
			// each chosen port is taken by someone else before the server binds it: the
			// server
			// says so and exits, while the squatter answers on its port
			assertThatIllegalStateException().isThrownBy(() -> ServerProcess.start("squatted", null, (port) -> {
				squatters.add(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()));
				return List.of("sh", "-c", "sleep 0.3; echo 'bind: Address already in use'; exit 1");
			})).withMessageContaining("exited with 1");
			assertThat(squatters).hasSize(5);
		}
		finally {
			for (ServerSocket squatter : squatters) {
				squatter.close();
			}
		}
	}

	@Test
	void memcachedAnswers() throws Exception {
		try (MemcachedServer memcached = MemcachedServer.start()) {
			assertThat(call(memcached.port(), "version\r\n")).startsWith("VERSION");
		}
	}

	@Test
	void postgresAnswersAndSurvivesAStop() throws Exception {
		try (PostgresServer postgres = PostgresServer.start()) {
			assertThat(selectOne(postgres)).isEqualTo(1);
			postgres.stop();
			postgres.restart();
			assertThat(selectOne(postgres)).isEqualTo(1);
		}
	}

	@Test
	void aMissingBinaryNamesWhatToInstall() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ServerProcess.executable("no-such-server", "no-such-package"))
			.withMessage("no-such-server not found: apt-get install no-such-package");
	}

	@Test
	void aServerThatDoesNotComeUpIsQuotedFromItsLog() {
		assertThatIllegalStateException().isThrownBy(
				() -> ServerProcess.start("shell", null, (port) -> List.of("sh", "-c", "echo cannot start; exit 3")))
			.withMessageContaining("shell exited with 3")
			.withMessageContaining("cannot start");
	}

	private static int selectOne(PostgresServer postgres) throws Exception {
		try (Connection connection = postgres.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static String call(int port, String command) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
			byte[] buffer = new byte[256];
			int read = socket.getInputStream().read(buffer);
			return new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
		}
	}

}
