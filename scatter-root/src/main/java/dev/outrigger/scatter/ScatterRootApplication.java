package dev.outrigger.scatter;

import java.security.Security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The scatter/gather root: one client request fanned out to a leaf of every shard, the
 * answers merged into one response that says which leaves answered.
 */
@SpringBootApplication
public class ScatterRootApplication {

	public static void main(String[] args) {
		// the JVM keeps a DNS answer for 30 s by default: shorter than the discovery
		// interval, so that dns: leaves are as fresh as
		// OUTRIGGER_SCATTER_DISCOVERY_INTERVAL
		// says (a name that does not resolve is asked again after 10 s, the JVM's
		// default)
		if (Security.getProperty("networkaddress.cache.ttl") == null) {
			Security.setProperty("networkaddress.cache.ttl", "5");
		}
		SpringApplication.run(ScatterRootApplication.class, args);
	}

}
