package dev.outrigger.examples.worker;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.outrigger.testsupport.net.LoopbackHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class WorkControllerTests {

	@LocalServerPort
	private int port;

	@Test
	void countsWordsAndEchoesThePayload() throws Exception {
		HttpResponse<String> response = work("{\"text\":\" three little words \"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"item\":\"item-1\"", "\"attempt\":2", "\"words\":3",
				"\"payload\":{\"text\":\" three little words \"}");
	}

	@Test
	void failsOnPurposeWithTheAskedStatus() throws Exception {
		HttpResponse<String> response = work("{\"failStatus\":422}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("failing on purpose");
	}

	private HttpResponse<String> work(String payload) throws Exception {
		LoopbackHttp http = new LoopbackHttp(this.port);
		return http.send(HttpRequest.newBuilder(http.uri("/work"))
			.header("Content-Type", "application/json")
			.header("Outrigger-Item-Id", "item-1")
			.header("Outrigger-Attempt", "2")
			.POST(HttpRequest.BodyPublishers.ofString(payload)));
	}

}
