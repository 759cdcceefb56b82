package dev.outrigger.examples.hello;

import java.time.Duration;

import dev.outrigger.kit.lifecycle.Lifecycle;
import dev.outrigger.kit.problem.BadRequestException;

import org.springframework.boot.convert.DurationStyle;
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

	private final HelloProperties properties;

	public HelloController(Greeter greeter, Lifecycle lifecycle, HelloProperties properties) {
		this.greeter = greeter;
		this.lifecycle = lifecycle;
		this.properties = properties;
	}

	@GetMapping("/hello")
	public Greeting hello(@RequestParam(defaultValue = "world") String name,
			@RequestParam(defaultValue = "0s") String delay) throws InterruptedException {
		return new Greeting(this.greeter.greet(name, parseDelay(delay)));
	}

	@ExceptionHandler
	ProblemDetail notAccepting(Greeter.NotAcceptingException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The container is " + this.lifecycle.status().state()
						+ " and takes no new greetings; retry on another replica, or POST /lifecycle/resume if paused.");
		problem.setTitle("Not accepting work");
		return problem;
	}

	private Duration parseDelay(String delay) {
		try {
			Duration parsed = DurationStyle.detectAndParse(delay);
			if (!parsed.isNegative() && parsed.compareTo(this.properties.maxDelay()) <= 0) {
				return parsed;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new BadRequestException("Invalid delay '" + delay + "': give a duration from 0s to "
				+ this.properties.maxDelay().toSeconds() + "s, such as 250ms or 2s.");
	}

	/** The answer to a greeting request. */
	public record Greeting(String message) {
	}

}
