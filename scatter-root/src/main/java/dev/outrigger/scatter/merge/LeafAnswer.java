package dev.outrigger.scatter.merge;

import org.jspecify.annotations.Nullable;

/**
 * A leaf's successful (2xx) answer, whole.
 *
 * @param status its status
 * @param body its body
 * @param contentType its Content-Type, or null
 */
public record LeafAnswer(int status, byte[] body, @Nullable String contentType) {

}
