package dev.outrigger.kit.info;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTests {

	@Test
	void masksValuesWhoseKeyNamesASecretAtAnyDepth() {
		Map<String, Object> masked = SecretMasker.mask(Map.of("admin", Map.of("token", "abc"), "jdbc",
				Map.of("password", "pw", "username", "app"), "apiKey", "k", "name", "visible"));
		assertThat(masked).containsEntry("apiKey", SecretMasker.MASK).containsEntry("name", "visible");
		assertThat((Map<String, Object>) masked.get("admin")).containsEntry("token", SecretMasker.MASK);
		assertThat((Map<String, Object>) masked.get("jdbc")).containsEntry("password", SecretMasker.MASK)
			.containsEntry("username", "app");
	}

	@Test
	void leavesUnsetSecretsUnset() {
		HashMap<String, Object> tree = new HashMap<>();
		tree.put("token", null);
		assertThat(SecretMasker.mask(tree)).containsEntry("token", null);
	}

	@Test
	void masksPasswordsInsideUrlsAndLists() {
		Map<String, Object> masked = SecretMasker.mask(Map.of("url", "postgresql://app:hunter2@db:5432/x", "shards",
				List.of("redis://:pw@10.0.0.1:6379", "redis://10.0.0.2:6379")));
		assertThat(masked.get("url")).isEqualTo("postgresql://app:******@db:5432/x");
		assertThat((List<Object>) masked.get("shards")).containsExactly("redis://:******@10.0.0.1:6379",
				"redis://10.0.0.2:6379");
	}

}
