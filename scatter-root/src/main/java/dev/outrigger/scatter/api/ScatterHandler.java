package dev.outrigger.scatter.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outrigger.scatter.gather.NoLeavesException;
import dev.outrigger.scatter.gather.Route;
import dev.outrigger.scatter.gather.Scatter;
import dev.outrigger.scatter.gather.ScatterFailedException;
import dev.outrigger.scatter.gather.ScatterLifecycle;
import dev.outrigger.scatter.gather.ScatterReport;
import dev.outrigger.scatter.gather.ScatterRequest;
import dev.outrigger.scatter.gather.ScatterResult;
import dev.outrigger.scatter.merge.InvalidMergeRequestException;
import dev.outrigger.scatter.merge.Merged;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves a route: reads the client's request, scatters it, and answers with the merged
 * body and the report — or with problem+json saying what went wrong and, when leaves were
 * asked, what each one did.
 */
public final class ScatterHandler {

	/** A client's own deadline for its request, such as {@code 250ms} or {@code 2s}. */
	public static final String DEADLINE_HEADER = "Outrigger-Deadline";

	private final Scatter scatter;

	private final ScatterLifecycle lifecycle;

	private final JsonMapper mapper;

	private final ReportHeaders reportHeaders;

	private final long maxRequestBytes;

	public ScatterHandler(Scatter scatter, ScatterLifecycle lifecycle, JsonMapper mapper, long maxRequestBytes) {
		this.scatter = scatter;
		this.lifecycle = lifecycle;
		this.mapper = mapper;
		this.reportHeaders = new ReportHeaders(mapper);
		this.maxRequestBytes = maxRequestBytes;
	}

	/** Serves {@code request} on {@code route}. */
	public ServerResponse handle(Route route, ServerRequest request) throws IOException {
		if (!this.lifecycle.enter()) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Not taking requests",
					"This scatter root is paused or draining; send the request to another replica.", null);
		}
		try {
			return serve(route, request);
		}
		finally {
			this.lifecycle.exit();
		}
	}

	private ServerResponse serve(Route route, ServerRequest request) throws IOException {
		HttpServletRequest servlet = request.servletRequest();
		long deadline;
		try {
			deadline = System.nanoTime() + deadline(route, servlet.getHeader(DEADLINE_HEADER)).toNanos();
		}
		catch (IllegalArgumentException ex) {
			return problem(HttpStatus.BAD_REQUEST, "Bad deadline", ex.getMessage(), null);
		}
		byte[] body;
		try (InputStream in = servlet.getInputStream()) {
			body = in.readNBytes((int) this.maxRequestBytes + 1);
		}
		if (body.length > this.maxRequestBytes) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, "Request too large", "The root fans out bodies of up to "
					+ this.maxRequestBytes + " bytes (OUTRIGGER_SCATTER_MAX_REQUEST_BYTES).", null);
		}
		ScatterRequest scatterRequest = new ScatterRequest(servlet.getMethod(), servlet.getRequestURI(),
				servlet.getQueryString(), query(servlet.getQueryString()), headers(route, servlet), body, deadline);
		try {
			return answer(route, this.scatter.scatter(route, scatterRequest));
		}
		catch (NoLeavesException ex) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "No leaves", ex.getMessage(), null);
		}
		catch (InvalidMergeRequestException ex) {
			return problem(HttpStatus.BAD_REQUEST, "Bad request for this route's merge", ex.getMessage(), null);
		}
		catch (ScatterFailedException ex) {
			return problem(HttpStatus.valueOf(ex.status()), ex.title(), ex.getMessage(), ex.report());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down",
					"The root is stopping; send the request to another replica.", null);
		}
	}

	private ServerResponse answer(Route route, ScatterResult result) {
		ScatterReport report = result.report();
		if (result.merged() instanceof Merged.Verbatim verbatim) {
			ServerResponse.BodyBuilder response = ServerResponse.status(verbatim.answer().status())
				.headers(this.reportHeaders.counts(report))
				.headers(this.reportHeaders.whole(report));
			if (verbatim.answer().contentType() != null) {
				response.header("Content-Type", verbatim.answer().contentType());
			}
			return response.body(verbatim.answer().body());
		}
		ServerResponse.BodyBuilder response = ServerResponse.ok().headers(this.reportHeaders.counts(report));
		JsonNode node = ((Merged.Json) result.merged()).node();
		boolean inBody = switch (route.report()) {
			case HEADERS -> false;
			case BODY -> true;
			case AUTO -> node instanceof ObjectNode;
		};
		if (!inBody) {
			response.headers(this.reportHeaders.whole(report));
			return response.contentType(MediaType.APPLICATION_JSON).body(this.mapper.writeValueAsBytes(node));
		}
		ObjectNode object;
		if (node instanceof ObjectNode merged) {
			object = merged;
		}
		else {
			object = this.mapper.createObjectNode();
			object.set("result", node);
		}
		object.set("_scatter", this.mapper.valueToTree(report));
		return response.contentType(MediaType.APPLICATION_JSON).body(this.mapper.writeValueAsBytes(object));
	}

	/** The route's default, or the client's own (at most the route's longest). */
	private static Duration deadline(Route route, String header) {
		if (header == null || header.isBlank()) {
			return route.timeout();
		}
		Duration asked;
		try {
			String text = header.strip();
			asked = text.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(text))
					: DurationStyle.detectAndParse(text);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw new IllegalArgumentException(DEADLINE_HEADER + ": \"" + header
					+ "\" is not a duration; send milliseconds or a duration such as 250ms or 2s.");
		}
		if (asked.isNegative() || asked.isZero()) {
			throw new IllegalArgumentException(DEADLINE_HEADER + " must be positive, was \"" + header + "\".");
		}
		return (asked.compareTo(route.maxTimeout()) > 0) ? route.maxTimeout() : asked;
	}

	private static Map<String, List<String>> headers(Route route, HttpServletRequest servlet) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : Collections.list(servlet.getHeaderNames())) {
			if (route.forwardHeaders().contains(name.toLowerCase(java.util.Locale.ROOT))) {
				headers.put(name, Collections.list(servlet.getHeaders(name)));
			}
		}
		return headers;
	}

	/** The query's parameters, decoded, in their order. */
	static Map<String, List<String>> query(String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
			parameters.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}
		return parameters;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	private ServerResponse problem(HttpStatus status, String title, String detail, ScatterReport report) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		ServerResponse.BodyBuilder response = ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (report != null) {
			problem.setProperty("_scatter", report);
			response.headers(this.reportHeaders.counts(report));
		}
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			response.header("Retry-After", "1");
		}
		return response.body(problem);
	}

}
