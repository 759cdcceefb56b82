package dev.outrigger.kit;

import java.time.Duration;

import dev.outrigger.kit.config.InvalidSettingException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every Outrigger container shares, from {@code OUTRIGGER_*} environment
 * variables.
 *
 * @param pattern which pattern this container runs; set by the image, not by operators
 * @param admin who may call mutating admin endpoints
 * @param lifecycle how the container drains
 * @param log how it logs
 * @param http where it listens
 */
@ConfigurationProperties("outrigger")
public record KitProperties(@DefaultValue("unknown") String pattern, @DefaultValue Admin admin,
		@DefaultValue Lifecycle lifecycle, @DefaultValue Log log, @DefaultValue Http http) {

	/**
	 * @param token {@code OUTRIGGER_ADMIN_TOKEN}: when set, admin endpoints need
	 * {@code Authorization: Bearer <token>} and accept callers from anywhere; when unset,
	 * they answer only loopback callers
	 */
	public record Admin(@Nullable String token) {
	}

	/**
	 * @param drainTimeout {@code OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT}: how long a drain on
	 * SIGTERM (or a {@code POST /lifecycle/drain} without a deadline) waits for in-flight
	 * work; keep it under the grace period minus a few seconds
	 * @param exitZeroOnSigterm {@code OUTRIGGER_LIFECYCLE_EXIT_ZERO_ON_SIGTERM}: exit 0
	 * after a clean drain on SIGTERM instead of the JVM's 143
	 */
	public record Lifecycle(@DefaultValue("20s") Duration drainTimeout,
			@DefaultValue("true") boolean exitZeroOnSigterm) {

		public Lifecycle {
			if (drainTimeout.isNegative() || drainTimeout.isZero()
					|| drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
				throw new InvalidSettingException("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT", drainTimeout.toString(),
						"expected a duration more than 0 and at most 10m, such as 20s");
			}
		}

	}

	/**
	 * @param format {@code OUTRIGGER_LOG_FORMAT}: {@code plain} or {@code json}
	 * (structured, ECS)
	 */
	public record Log(@DefaultValue("plain") LogFormat format) {
	}

	/**
	 * @param port {@code OUTRIGGER_HTTP_PORT}: overrides the container's HTTP port (each
	 * pattern has its own default so several share a pod)
	 */
	public record Http(@Nullable Integer port) {

		public Http {
			if (port != null && (port < 1 || port > 65535)) {
				throw new InvalidSettingException("OUTRIGGER_HTTP_PORT", port.toString(),
						"expected a port number from 1 to 65535");
			}
		}

	}

	/** How the container writes its logs. */
	public enum LogFormat {

		PLAIN, JSON

	}

}
