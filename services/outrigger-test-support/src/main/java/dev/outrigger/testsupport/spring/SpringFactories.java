package dev.outrigger.testsupport.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;

import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * What the class path's {@code META-INF/spring.factories} files register, read as Spring
 * reads them, so a test can tell that a class Spring only finds there (an
 * EnvironmentPostProcessor, a FailureAnalyzer) is really registered after a move or a
 * rename.
 */
public final class SpringFactories {

	private SpringFactories() {
	}

	/**
	 * The class names registered for {@code factoryType} in every spring.factories file.
	 */
	public static List<String> registered(Class<?> factoryType) {
		List<String> registered = new ArrayList<>();
		try {
			Enumeration<URL> files = SpringFactories.class.getClassLoader().getResources("META-INF/spring.factories");
			while (files.hasMoreElements()) {
				String names = PropertiesLoaderUtils.loadProperties(new UrlResource(files.nextElement()))
					.getProperty(factoryType.getName(), "");
				Arrays.stream(names.split(","))
					.map(String::trim)
					.filter((name) -> !name.isEmpty())
					.forEach(registered::add);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read META-INF/spring.factories", ex);
		}
		return registered;
	}

}
