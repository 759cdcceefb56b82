package dev.outrigger.kit;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InstanceIdTests {

	@Test
	void theHostnameVariableComesFirst() {
		assertThat(InstanceId.detect(Map.of("HOSTNAME", "web-7d9f-abcde"), () -> "node-1").value())
			.isEqualTo("web-7d9f-abcde");
	}

	@Test
	void withoutTheVariableTheHostsNameIsUsed() {
		assertThat(InstanceId.detect(Map.of("HOSTNAME", " "), () -> "node-1").value()).isEqualTo("node-1");
		assertThat(InstanceId.detect(Map.of(), () -> "node-1").value()).isEqualTo("node-1");
	}

	@Test
	void withNeitherAnIdIsGeneratedAndTwoDiffer() {
		InstanceId first = InstanceId.detect(Map.of(), () -> null);
		InstanceId second = InstanceId.detect(Map.of(), () -> "");
		assertThat(first.value()).matches("outrigger-[0-9a-f]{12}");
		assertThat(second.value()).matches("outrigger-[0-9a-f]{12}").isNotEqualTo(first.value());
	}

	@Test
	void anIdIsNeverBlank() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InstanceId(" "));
		assertThat(InstanceId.detect().value()).isNotBlank();
	}

}
