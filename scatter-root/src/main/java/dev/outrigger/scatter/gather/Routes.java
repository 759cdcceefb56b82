package dev.outrigger.scatter.gather;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every route, the longest prefix first, so {@code /search/images} wins over
 * {@code /search} and {@code /}.
 */
public final class Routes implements AutoCloseable {

	private final List<Route> routes;

	public Routes(List<Route> routes) {
		this.routes = routes.stream()
			.sorted(Comparator.comparingInt((Route route) -> route.prefix().length()).reversed())
			.toList();
	}

	public Optional<Route> match(String path) {
		for (Route route : this.routes) {
			if (route.matches(path)) {
				return Optional.of(route);
			}
		}
		return Optional.empty();
	}

	public List<Route> all() {
		return this.routes;
	}

	@Override
	public void close() {
		this.routes.forEach((route) -> route.directory().close());
	}

}
