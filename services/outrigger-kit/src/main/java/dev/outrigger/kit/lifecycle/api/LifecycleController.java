package dev.outrigger.kit.lifecycle.api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.outrigger.kit.admin.AdminOperation;
import dev.outrigger.kit.lifecycle.Lifecycle;
import dev.outrigger.kit.lifecycle.LifecycleStatus;
import dev.outrigger.kit.problem.DurationParameter;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /lifecycle}: read the state, pause, resume and drain. The POSTs are admin
 * operations.
 */
@RestController
@RequestMapping("/lifecycle")
public class LifecycleController {

	private final Lifecycle lifecycle;

	private final String pattern;

	private final String version;

	private final DurationParameter deadline;

	public LifecycleController(Lifecycle lifecycle, String pattern, String version, Duration defaultDeadline) {
		this.lifecycle = lifecycle;
		this.pattern = pattern;
		this.version = version;
		this.deadline = new DurationParameter("deadline", Duration.ofMillis(1), Duration.ofMinutes(10),
				defaultDeadline);
	}

	@GetMapping
	public LifecycleView state() {
		return view(this.lifecycle.status());
	}

	@AdminOperation
	@PostMapping("/pause")
	public LifecycleView pause() {
		return view(this.lifecycle.pause());
	}

	@AdminOperation
	@PostMapping("/resume")
	public LifecycleView resume() {
		return view(this.lifecycle.resume());
	}

	/**
	 * Starts the drain and answers 202 at once, or with {@code wait=true} answers 200
	 * once the container is STOPPED (handy for a preStop hook).
	 */
	@AdminOperation
	@PostMapping("/drain")
	public ResponseEntity<LifecycleView> drain(@RequestParam(required = false) String deadline,
			@RequestParam(defaultValue = "false") boolean wait) throws InterruptedException, ExecutionException {
		Duration budget = this.deadline.parse(deadline);
		var drained = this.lifecycle.drain(budget);
		if (!wait) {
			return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(this.lifecycle.status()));
		}
		try {
			return ResponseEntity.ok(view(drained.get(budget.toMillis() + 1000, TimeUnit.MILLISECONDS)));
		}
		catch (TimeoutException ex) {
			return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(this.lifecycle.status()));
		}
	}

	private LifecycleView view(LifecycleStatus status) {
		return new LifecycleView(status.state().name(), status.since(), this.pattern, this.version);
	}

	/**
	 * The body of every {@code /lifecycle} answer.
	 *
	 * @param state the current state
	 * @param since when the container entered it
	 * @param pattern which Outrigger pattern this container runs
	 * @param version the container's version
	 */
	public record LifecycleView(String state, Instant since, String pattern, String version) {
	}

}
