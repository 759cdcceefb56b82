package dev.outrigger.scatter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The scatter/gather root: one client request fanned out to a leaf of every shard, the
 * answers merged into one response that says which leaves answered.
 */
@SpringBootApplication
public class ScatterRootApplication {

	public static void main(String[] args) {
		SpringApplication.run(ScatterRootApplication.class, args);
	}

}
