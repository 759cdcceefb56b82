package dev.outrigger.work.agent;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.work.WorkProperties.Engine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;

/**
 * Resolves {@code OUTRIGGER_WORK_ENGINE=auto}: share groups when the cluster has
 * finalized the {@code share.version} feature (Kafka 4.2 does by default; 4.1 only after
 * {@code kafka-features.sh upgrade --feature share.version=1}), else a classic consumer
 * group.
 */
public final class EngineSelection {

	private static final Log logger = LogFactory.getLog(EngineSelection.class);

	static final String SHARE_FEATURE = "share.version";

	private EngineSelection() {
	}

	public static Engine resolve(Engine requested, Admin admin) {
		if (requested == Engine.CLASSIC) {
			return Engine.CLASSIC;
		}
		boolean shareGroups = shareGroupsEnabled(admin);
		if (requested == Engine.SHARE) {
			if (!shareGroups) {
				throw new InvalidSettingException("OUTRIGGER_WORK_ENGINE", "share",
						"the Kafka cluster has not enabled share groups (feature share.version); use classic or "
								+ "auto, or enable them with kafka-features.sh upgrade --feature share.version=1");
			}
			return Engine.SHARE;
		}
		Engine chosen = shareGroups ? Engine.SHARE : Engine.CLASSIC;
		logger.info("OUTRIGGER_WORK_ENGINE=auto: using the " + chosen.name().toLowerCase(Locale.ROOT)
				+ " engine (share groups " + (shareGroups ? "enabled" : "not enabled") + " on the cluster)");
		return chosen;
	}

	private static boolean shareGroupsEnabled(Admin admin) {
		try {
			FeatureMetadata features = admin.describeFeatures()
				.featureMetadata()
				.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
			FinalizedVersionRange share = features.finalizedFeatures().get(SHARE_FEATURE);
			return share != null && share.maxVersionLevel() >= 1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking Kafka for its features", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not ask Kafka which features it has: " + ex.getMessage(), ex);
		}
	}

}
