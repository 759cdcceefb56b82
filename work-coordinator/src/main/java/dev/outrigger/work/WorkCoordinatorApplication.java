package dev.outrigger.work;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The work-coordinator container: a Kafka-backed work queue. One image, two modes — the
 * coordinator API that takes and reports items, and the agent beside a worker container
 * that calls it over localhost HTTP. No component scan: the mode's configuration decides
 * which controllers and engines exist.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WorkCoordinatorApplication {

	public static void main(String[] args) {
		SpringApplication.run(WorkCoordinatorApplication.class, args);
	}

}
