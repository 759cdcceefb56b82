package dev.outrigger.work.topic;

/**
 * A topic could not be created or confirmed (broker down, no ACL to create topics).
 */
public class TopicProvisioningException extends RuntimeException {

	public TopicProvisioningException(String topic, Throwable cause) {
		super("Could not create topic " + topic + ": " + cause.getMessage(), cause);
	}

}
