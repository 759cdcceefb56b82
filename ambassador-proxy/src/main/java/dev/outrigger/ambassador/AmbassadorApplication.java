package dev.outrigger.ambassador;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The ambassador-proxy container: the app talks to localhost as if to one Redis (or one HTTP
 * server); the ambassador shards its requests over many.
 */
@SpringBootApplication
public class AmbassadorApplication {

	public static void main(String[] args) {
		SpringApplication.run(AmbassadorApplication.class, args);
	}

}
