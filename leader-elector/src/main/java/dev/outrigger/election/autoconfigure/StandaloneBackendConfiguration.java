package dev.outrigger.election.autoconfigure;

import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionProperties.Backend;
import dev.outrigger.election.standalone.StandaloneBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnElectionBackend(Backend.STANDALONE)
final class StandaloneBackendConfiguration {

	private static final Log logger = LogFactory.getLog(StandaloneBackendConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ElectionBackend standaloneElectionBackend() {
		logger.warn("Election backend: standalone — this replica always leads. Set OUTRIGGER_ELECTION_BACKEND "
				+ "(kubernetes, kafka or jdbc) for more than one replica.");
		return new StandaloneBackend();
	}

}
