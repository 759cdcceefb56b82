package dev.outrigger.examples.hello;

import java.util.Map;

import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class HelloConfiguration {

	@Bean
	Greeter greeter(HelloProperties properties) {
		return new Greeter(properties.greeting());
	}

	@Bean
	InfoContributor helloState(Greeter greeter) {
		return (builder) -> builder.withDetail("state",
				Map.of("served", greeter.served(), "inFlight", greeter.inFlight()));
	}

}
