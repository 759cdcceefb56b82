package dev.outrigger.election.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionProperties;
import dev.outrigger.election.ElectionProperties.Backend;
import dev.outrigger.election.jdbc.JdbcElectionBackend;
import dev.outrigger.election.jdbc.JdbcElectionDataSource;
import dev.outrigger.kit.config.InvalidSettingException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnElectionBackend(Backend.JDBC)
final class JdbcBackendConfiguration {

	// by name: an application's own DataSource must not stand in for the election's pool
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(name = "electionDataSource")
	HikariDataSource electionDataSource(ElectionProperties properties) {
		ElectionProperties.Jdbc jdbc = properties.jdbc();
		if (jdbc.url() == null || !jdbc.url().startsWith("jdbc:")) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_JDBC_URL", String.valueOf(jdbc.url()),
					"expected a JDBC URL such as jdbc:postgresql://db:5432/app when OUTRIGGER_ELECTION_BACKEND=jdbc");
		}
		return JdbcElectionDataSource.create(jdbc.url(), jdbc.username(), jdbc.password(), properties.timings());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ElectionBackend jdbcElectionBackend(HikariDataSource electionDataSource, ElectionProperties properties) {
		try {
			return new JdbcElectionBackend(electionDataSource, properties.jdbc().table(), properties.timings());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_JDBC_TABLE", properties.jdbc().table(),
					"expected an SQL table name of lowercase letters, digits and '_' (optionally schema.table)");
		}
	}

}
