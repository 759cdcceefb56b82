package dev.outrigger.scatter;

import java.nio.file.Path;
import java.time.Duration;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.kit.config.Settings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The root's own settings, from {@code OUTRIGGER_SCATTER_*} variables; the routes come
 * from {@link RouteProperties}.
 *
 * @param config {@code OUTRIGGER_SCATTER_CONFIG}: a YAML file with {@code routes:}; when
 * unset, the variables describe one route
 * @param connectTimeout {@code OUTRIGGER_SCATTER_CONNECT_TIMEOUT}: how long a leaf may
 * take to accept a connection
 * @param maxBuffered {@code OUTRIGGER_SCATTER_MAX_BUFFERED}: leaf answers held at once,
 * over all requests; a leaf whose answer does not fit fails (so memory stays bounded
 * however large the fan-out)
 * @param maxRequestBytes {@code OUTRIGGER_SCATTER_MAX_REQUEST_BYTES}: the largest request
 * body the root fans out
 */
@ConfigurationProperties("outrigger.scatter")
public record ScatterProperties(@Nullable Path config, @DefaultValue("1s") Duration connectTimeout,
		@DefaultValue("64MB") DataSize maxBuffered, @DefaultValue("1MB") DataSize maxRequestBytes) {

	public ScatterProperties {
		Settings.requirePositive("OUTRIGGER_SCATTER_CONNECT_TIMEOUT", connectTimeout);
		if (maxBuffered.toBytes() < 1024) {
			throw new InvalidSettingException("OUTRIGGER_SCATTER_MAX_BUFFERED", maxBuffered.toString(),
					"expected at least 1KB");
		}
		if (maxRequestBytes.toBytes() < 0 || maxRequestBytes.toBytes() > Integer.MAX_VALUE - 8) {
			throw new InvalidSettingException("OUTRIGGER_SCATTER_MAX_REQUEST_BYTES", maxRequestBytes.toString(),
					"expected from 0 to 2047MB");
		}
	}

}
