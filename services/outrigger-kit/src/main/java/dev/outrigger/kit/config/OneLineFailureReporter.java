package dev.outrigger.kit.config;

import java.io.PrintStream;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports a start-up failure that an analyzer understood as a single line on standard
 * error, so {@code docker logs} and {@code kubectl logs} show the cause at a glance. It
 * replaces Boot's multi-line report, which the kit's defaults silence.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

	private final PrintStream out;

	public OneLineFailureReporter() {
		this(System.err);
	}

	OneLineFailureReporter(PrintStream out) {
		this.out = out;
	}

	@Override
	public void report(FailureAnalysis analysis) {
		String line = "outrigger: failed to start: " + flatten(analysis.getDescription());
		if (analysis.getAction() != null && !analysis.getAction().isBlank()) {
			line += " " + flatten(analysis.getAction());
		}
		this.out.println(line);
		this.out.flush();
	}

	private static String flatten(String text) {
		return text.strip().replaceAll("\\s*\\R\\s*", " ");
	}

}
