package dev.outrigger.examples.hello;

import java.time.Duration;

import dev.outrigger.kit.lifecycle.Lifecycle;
import dev.outrigger.kit.problem.DurationParameter;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /hello?name=…&delay=…}.
 */
@RestController
public class HelloController {

	private final Greeter greeter;

	private final Lifecycle lifecycle;

	private final DurationParameter delay;

	public HelloController(Greeter greeter, Lifecycle lifecycle, HelloProperties properties) {
		this.greeter = greeter;
		this.lifecycle = lifecycle;
		this.delay = new DurationParameter("delay", Duration.ZERO, properties.maxDelay(), Duration.ZERO);
	}

	@GetMapping("/hello")
	public Greeting hello(@RequestParam(defaultValue = "world") String name,
			@RequestParam(defaultValue = "0s") String delay) throws InterruptedException {
		return new Greeting(this.greeter.greet(name, this.delay.parse(delay)));
	}

	@ExceptionHandler
	ProblemDetail notAccepting(Greeter.NotAcceptingException ex) {
		ProblemDetail problem = ProblemDetail
			.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The container is " + this.lifecycle.status().state()
					+ " and takes no new greetings; retry on another replica, or POST /lifecycle/resume if paused.");
		problem.setTitle("Not accepting work");
		return problem;
	}

	/** The answer to a greeting request. */
	public record Greeting(String message) {
	}

}
