package dev.outrigger.scatter.gather;

/**
 * The request has no answer to give: every leaf failed, the route does not allow partial
 * results and some failed, or the merge failed. The client gets {@link #status()} with
 * the report.
 */
public class ScatterFailedException extends RuntimeException {

	private final int status;

	private final String title;

	private final ScatterReport report;

	ScatterFailedException(int status, String title, String detail, ScatterReport report) {
		super(detail);
		this.status = status;
		this.title = title;
		this.report = report;
	}

	public int status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	public ScatterReport report() {
		return this.report;
	}

}
