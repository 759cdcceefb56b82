package dev.outrigger.examples.leaf;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * An example leaf for the scatter/gather pattern: one part of a search index, behind a
 * scatter-root.
 */
@SpringBootApplication
@EnableConfigurationProperties(LeafProperties.class)
public class LeafApplication {

	public static void main(String[] args) {
		SpringApplication.run(LeafApplication.class, args);
	}

}
