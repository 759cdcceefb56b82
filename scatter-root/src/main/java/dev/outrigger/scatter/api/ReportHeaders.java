package dev.outrigger.scatter.api;

import java.util.List;
import java.util.function.Consumer;

import dev.outrigger.scatter.gather.ScatterReport;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;

/**
 * The report in headers: the counts always ({@code Outrigger-Scatter-Total},
 * {@code -Successful}, {@code -Failed}, {@code -Timed-Out}, {@code -Skipped},
 * {@code -Hedged}), and, when the body must stay as it is, the whole report as compact
 * JSON in {@code Outrigger-Scatter-Report} (ASCII only; past {@value #MAX_LENGTH}
 * characters, only the shards that did not succeed are listed).
 */
final class ReportHeaders {

	static final int MAX_LENGTH = 4096;

	private final JsonMapper ascii;

	ReportHeaders(JsonMapper mapper) {
		this.ascii = mapper.rebuild().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
	}

	Consumer<HttpHeaders> counts(ScatterReport report) {
		return (headers) -> {
			headers.set("Outrigger-Scatter-Total", Integer.toString(report.total()));
			headers.set("Outrigger-Scatter-Successful", Integer.toString(report.successful()));
			headers.set("Outrigger-Scatter-Failed", Integer.toString(report.failed()));
			headers.set("Outrigger-Scatter-Timed-Out", Integer.toString(report.timedOut()));
			headers.set("Outrigger-Scatter-Skipped", Integer.toString(report.skipped()));
			headers.set("Outrigger-Scatter-Hedged", Integer.toString(report.hedged()));
		};
	}

	Consumer<HttpHeaders> whole(ScatterReport report) {
		String json = this.ascii.writeValueAsString(report);
		if (json.length() > MAX_LENGTH) {
			List<ScatterReport.Leaf> unsuccessful = report.leaves()
				.stream()
				.filter((leaf) -> !leaf.result().equals("succeeded"))
				.toList();
			json = this.ascii.writeValueAsString(new ScatterReport(report.total(), report.successful(), report.failed(),
					report.timedOut(), report.skipped(), report.hedged(), unsuccessful));
			if (json.length() > MAX_LENGTH) {
				json = this.ascii.writeValueAsString(new ScatterReport(report.total(), report.successful(),
						report.failed(), report.timedOut(), report.skipped(), report.hedged(), List.of()));
			}
		}
		String value = json;
		return (headers) -> headers.set("Outrigger-Scatter-Report", value);
	}

}
