package dev.outrigger.kit.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AdminAccessPolicyTests {

	private final AdminAccessPolicy withoutToken = new AdminAccessPolicy(null);

	private final AdminAccessPolicy withToken = new AdminAccessPolicy("s3cret-token");

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.10.0.5", "::1", "0:0:0:0:0:0:0:1" })
	void withoutATokenLoopbackCallersAreAllowed(String address) {
		assertThatCode(() -> this.withoutToken.check(address, null)).doesNotThrowAnyException();
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.1.2.3", "192.168.0.7", "fe80::1", "not-an-address", "" })
	void withoutATokenOtherCallersAreForbidden(String address) {
		assertThatExceptionOfType(AdminAccessDeniedException.class)
			.isThrownBy(() -> this.withoutToken.check(address, null))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getStatusCode())
				.isEqualTo(HttpStatus.FORBIDDEN))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getBody().getDetail())
				.contains("OUTRIGGER_ADMIN_TOKEN"));
	}

	@Test
	void withoutATokenABearerHeaderDoesNotLetRemoteCallersIn() {
		assertThatExceptionOfType(AdminAccessDeniedException.class)
			.isThrownBy(() -> this.withoutToken.check("10.1.2.3", "Bearer anything"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.1.2.3", "127.0.0.1" })
	void withATokenTheRightBearerTokenIsAcceptedFromAnywhere(String address) {
		assertThatCode(() -> this.withToken.check(address, "Bearer s3cret-token")).doesNotThrowAnyException();
		assertThatCode(() -> this.withToken.check(address, "bearer s3cret-token")).doesNotThrowAnyException();
	}

	@Test
	void withATokenAMissingHeaderIsUnauthorizedEvenFromLoopback() {
		assertThatExceptionOfType(AdminAccessDeniedException.class)
			.isThrownBy(() -> this.withToken.check("127.0.0.1", null))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getStatusCode())
				.isEqualTo(HttpStatus.UNAUTHORIZED))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getHeaders().getFirst("WWW-Authenticate"))
				.startsWith("Bearer"));
	}

	@Test
	void withATokenAnotherSchemeIsUnauthorized() {
		assertThatExceptionOfType(AdminAccessDeniedException.class)
			.isThrownBy(() -> this.withToken.check("127.0.0.1", "Basic czNjcmV0LXRva2Vu"))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getStatusCode())
				.isEqualTo(HttpStatus.UNAUTHORIZED));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer wrong", "Bearer s3cret-token-and-more", "Bearer s3cret", "Bearer " })
	void withATokenAWrongTokenIsForbidden(String header) {
		assertThatExceptionOfType(AdminAccessDeniedException.class)
			.isThrownBy(() -> this.withToken.check("127.0.0.1", header))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getStatusCode())
				.isEqualTo(HttpStatus.FORBIDDEN));
	}

}
