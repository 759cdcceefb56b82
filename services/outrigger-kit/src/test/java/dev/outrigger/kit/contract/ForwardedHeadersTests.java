package dev.outrigger.kit.contract;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.outrigger.testsupport.net.LoopbackHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who a caller is comes from the connection, never from a header: on Kubernetes (where
 * Boot would otherwise trust {@code X-Forwarded-For} from private addresses) a forwarded
 * address changes nothing. Over real HTTP, since MockMvc does not run Tomcat's header
 * handling.
 */
@Timeout(60)
@SpringBootTest(classes = ContractTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.cloud-platform=kubernetes", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
class ForwardedHeadersTests {

	@LocalServerPort
	private int port;

	@Test
	void aForwardedAddressDoesNotChangeWhoTheCallerIs() throws Exception {
		LoopbackHttp http = new LoopbackHttp(this.port);
		HttpResponse<String> pause = http.send(HttpRequest.newBuilder(http.uri("/lifecycle/pause"))
			.header("X-Forwarded-For", "10.20.30.40")
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(pause.statusCode()).isEqualTo(200);
		HttpResponse<String> info = http
			.send(HttpRequest.newBuilder(http.uri("/actuator/info")).header("X-Forwarded-For", "10.20.30.40").GET());
		assertThat(info.body()).contains("\"config\"");
		http.post("/lifecycle/resume");
	}

}
