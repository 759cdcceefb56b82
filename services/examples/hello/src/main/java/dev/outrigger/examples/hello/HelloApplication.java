package dev.outrigger.examples.hello;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The smallest Outrigger container: the kit's contract plus one greeting endpoint.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HelloApplication {

	public static void main(String[] args) {
		SpringApplication.run(HelloApplication.class, args);
	}

}
