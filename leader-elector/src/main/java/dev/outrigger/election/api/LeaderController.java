package dev.outrigger.election.api;

import java.time.Duration;
import java.util.Map;

import dev.outrigger.election.Election;
import dev.outrigger.election.Elections;
import dev.outrigger.election.LeaderState;
import dev.outrigger.kit.admin.AdminOperation;
import dev.outrigger.kit.problem.BadRequestException;
import dev.outrigger.kit.problem.DurationParameter;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The leader-elector's HTTP API: who leads, long polls, a stream of changes, leader-only
 * routing and resignation.
 */
@RestController
public class LeaderController {

	private static final DurationParameter TIMEOUT = new DurationParameter("timeout", Duration.ZERO,
			Duration.ofMinutes(5), Duration.ofSeconds(30));

	private final Elections elections;

	private final LeaderEventStreams streams;

	public LeaderController(Elections elections, LeaderEventStreams streams) {
		this.elections = elections;
		this.streams = streams;
	}

	/**
	 * Drop-in answer of the original Kubernetes {@code leader-elector} image: the
	 * leader's name.
	 */
	@GetMapping("/")
	public Map<String, String> legacy() {
		String leader = election(null).state().leader();
		return Map.of("name", (leader != null) ? leader : "");
	}

	/**
	 * The state of an election; with {@code waitForChange=<fencingToken>}, answers as
	 * soon as the state differs from that token (or changes at all), else at
	 * {@code timeout} with the current state.
	 */
	@GetMapping("/leader")
	public LeaderState leader(@RequestParam(required = false) String election,
			@RequestParam(required = false) Long waitForChange, @RequestParam(required = false) String timeout)
			throws InterruptedException {
		Election target = election(election);
		if (waitForChange == null) {
			if (timeout != null) {
				throw new BadRequestException("timeout only applies to a long poll; add waitForChange=<fencingToken>.");
			}
			return target.state();
		}
		return target.awaitChange(waitForChange, TIMEOUT.parse(timeout));
	}

	/**
	 * Server-Sent Events: the current state first, then every change, as
	 * {@code event: leader}.
	 */
	@GetMapping(path = "/leader/events", produces = "text/event-stream")
	public SseEmitter events(@RequestParam(required = false) String election) {
		return this.streams.open(election(election));
	}

	/** 200 when this replica leads, 503 otherwise: for leader-only routing or probes. */
	@GetMapping("/leader/am-i")
	public ResponseEntity<LeaderState> amI(@RequestParam(required = false) String election) {
		LeaderState state = election(election).state();
		return ResponseEntity.status(state.isLeader() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(state);
	}

	/** Step down; another candidate takes over, and this one may win again later. */
	@AdminOperation
	@PostMapping("/leader/resign")
	public ResponseEntity<LeaderState> resign(@RequestParam(required = false) String election) {
		Election target = election(election);
		this.elections.resign(target.name());
		return ResponseEntity.accepted().body(target.state());
	}

	private Election election(@Nullable String name) {
		Election election = this.elections.find(name);
		if (election == null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No election '" + name
					+ "' here; this sidecar runs " + this.elections.names() + " (OUTRIGGER_ELECTION_NAMES).");
			problem.setTitle("Unknown election");
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		}
		return election;
	}

}
