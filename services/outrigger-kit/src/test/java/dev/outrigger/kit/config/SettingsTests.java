package dev.outrigger.kit.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SettingsTests {

	@Test
	void aPositiveDurationPasses() {
		assertThat(Settings.requirePositive("OUTRIGGER_X_TIMEOUT", Duration.ofMillis(1)))
			.isEqualTo(Duration.ofMillis(1));
	}

	@Test
	void zeroOrANegativeDurationNamesTheVariableAndTheValueAsWritten() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Settings.requirePositive("OUTRIGGER_X_TIMEOUT", Duration.ZERO))
			.withMessage("OUTRIGGER_X_TIMEOUT=\"0s\" is not allowed: expected a duration more than 0, such as 5s")
			.satisfies((ex) -> assertThat(ex.variable()).isEqualTo("OUTRIGGER_X_TIMEOUT"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Settings.requirePositive("OUTRIGGER_X_TIMEOUT", Duration.ofMillis(-1500)))
			.withMessageStartingWith("OUTRIGGER_X_TIMEOUT=\"-1500ms\"");
	}

	@Test
	void rangesIncludeTheirEnds() {
		assertThat(Settings.requireBetween("V", 1, 1, 64)).isEqualTo(1);
		assertThat(Settings.requireBetween("V", 64, 1, 64)).isEqualTo(64);
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Settings.requireBetween("V", 65, 1, 64))
			.withMessage("V=\"65\" is not allowed: expected 1 to 64");
		assertThat(Settings.requireBetween("V", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)))
			.isEqualTo(Duration.ZERO);
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(
					() -> Settings.requireBetween("V", Duration.ofSeconds(61), Duration.ZERO, Duration.ofMinutes(1)))
			.withMessage("V=\"61s\" is not allowed: expected 0s to 60s");
	}

	@Test
	void countsBelowTheMinimumNameTheVariable() {
		assertThat(Settings.requirePositive("V", 1)).isEqualTo(1);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> Settings.requirePositive("V", 0))
			.withMessage("V=\"0\" is not allowed: expected at least 1");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Settings.requireAtLeast("V", 1023, 1024))
			.withMessage("V=\"1023\" is not allowed: expected at least 1024");
	}

	@Test
	void textMustHaveContentAndFitItsLength() {
		assertThat(Settings.requireText("V", "Ahoy", 4)).isEqualTo("Ahoy");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> Settings.requireText("V", " ", 4))
			.withMessage("V=\" \" is not allowed: expected text that is not blank, at most 4 characters");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> Settings.requireText("V", "Ahoy!", 4))
			.withMessageStartingWith("V=\"Ahoy!\"");
	}

	@Test
	void aParserRejectionBecomesTheReasonAfterTheVariable() {
		assertThat(Settings.parse("OUTRIGGER_X_COUNT", "12", Integer::valueOf).intValue()).isEqualTo(12);
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Settings.parse("OUTRIGGER_X_MODE", "fast", (value) -> {
				throw new IllegalArgumentException("expected one of slow, steady");
			}))
			.withMessage("OUTRIGGER_X_MODE=\"fast\" is not allowed: expected one of slow, steady");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Settings.parse("OUTRIGGER_X_SINCE", "soon", java.time.Instant::parse))
			.satisfies((ex) -> assertThat(ex.variable()).isEqualTo("OUTRIGGER_X_SINCE"));
	}

	@Test
	void durationsAreFormattedAsOperatorsWriteThem() {
		assertThat(Settings.format(Duration.ofSeconds(30))).isEqualTo("30s");
		assertThat(Settings.format(Duration.ofMillis(2500))).isEqualTo("2500ms");
	}

}
