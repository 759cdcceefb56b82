package dev.outrigger.election;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The leader-elector container: leader election over localhost HTTP for an app in any
 * language.
 */
@SpringBootApplication
public class LeaderElectorApplication {

	public static void main(String[] args) {
		SpringApplication.run(LeaderElectorApplication.class, args);
	}

}
