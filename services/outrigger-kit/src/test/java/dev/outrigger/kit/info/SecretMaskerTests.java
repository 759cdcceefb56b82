package dev.outrigger.kit.info;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
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

	@ParameterizedTest
	@ValueSource(strings = { "password", "ssl.keystore.password", "ssl.key.password", "ssl.truststore.password",
			"sasl.jaas.config", "[sasl.jaas.config]", "api-key", "private-key", "apiKey", "APIKey", "ssl.keystore.key",
			"secretKeyRef", "client-secret", "clientSecret", "access_token", "credentials", "basic.auth.user.info",
			"Authorization", "PASSWORD", "DB_PASSWORD", "OUTRIGGER_ELECTION_JDBC_PASSWORD",
			"OUTRIGGER_WORK_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "MY_API_KEY", "SSL_KEYSTOREPASSWORD", "pwd", "sig",
			"sasl.oauthbearer.assertion.private.key.passphrase", "partition-key", "encryption.keys" })
	void aSecretKeyIsMasked(String key) {
		assertThat(SecretMasker.isSecretKey(key)).isTrue();
		assertThat(SecretMasker.mask(Map.of(key, "hunter2"))).containsEntry(key, SecretMasker.MASK);
	}

	@ParameterizedTest
	@ValueSource(strings = { "keySource", "key-prefix", "key.serializer", "ssl.keystore.location", "ssl.keystore.type",
			"ssl.keymanager.algorithm", "ssl.keystore.certificate.chain", "username", "user", "security.protocol",
			"sasl.mechanism", "bootstrapServers", "autoEject", "hashTag", "topicPrefix", "bypass", "monitor" })
	void anOrdinaryKeyIsShown(String key) {
		assertThat(SecretMasker.isSecretKey(key)).isFalse();
		assertThat(SecretMasker.mask(Map.of(key, "plain"))).containsEntry(key, "plain");
	}

	@Test
	void ourOwnShardKeySettingsStayVisibleButTheSameWordsElsewhereAreMasked() {
		Map<String, Object> masked = SecretMasker.mask(Map.of("outrigger.ambassador",
				Map.of("http", Map.of("key", "header:X-Shard-Key", "missingKey", "reject")), "outrigger.other",
				Map.of("http", Map.of("key", "s3cr3t"))));
		Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) masked.get("outrigger.ambassador"))
			.get("http");
		assertThat(http).containsEntry("key", "header:X-Shard-Key").containsEntry("missingKey", "reject");
		assertThat((Map<String, Object>) ((Map<String, Object>) masked.get("outrigger.other")).get("http"))
			.containsEntry("key", SecretMasker.MASK);
	}

	@Test
	void leavesUnsetSecretsUnset() {
		HashMap<String, Object> tree = new HashMap<>();
		tree.put("token", null);
		assertThat(SecretMasker.mask(tree)).containsEntry("token", null);
	}

	@Test
	void masksASecretKeysWholeSubtree() {
		Map<String, Object> masked = SecretMasker
			.mask(Map.of("credentials", Map.of("user", "u", "pass", "p"), "tokens", List.of("a", "b")));
		assertThat(masked).containsEntry("credentials", SecretMasker.MASK).containsEntry("tokens", SecretMasker.MASK);
	}

	@Test
	void masksPassthroughClientSettingsInNestedMapsAndLists() {
		Map<String, Object> kafka = new LinkedHashMap<>();
		kafka.put("bootstrapServers", "broker:9093");
		kafka.put("properties", Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config",
				"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
				"ssl.keystore.password", "changeit", "ssl.keystore.location", "/etc/kafka/keystore.p12"));
		Map<String, Object> masked = SecretMasker
			.mask(Map.of("outrigger.work", Map.of("kafka", kafka, "list", List.of(Map.of("PASSWORD", "x")))));
		Map<String, Object> work = (Map<String, Object>) masked.get("outrigger.work");
		Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) work.get("kafka"))
			.get("properties");
		assertThat(properties).containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("sasl.jaas.config", SecretMasker.MASK)
			.containsEntry("ssl.keystore.password", SecretMasker.MASK)
			.containsEntry("ssl.keystore.location", "/etc/kafka/keystore.p12");
		assertThat((List<Object>) work.get("list")).containsExactly(Map.of("PASSWORD", SecretMasker.MASK));
	}

	@Test
	void masksPasswordsInsideUrlsAndLists() {
		Map<String, Object> masked = SecretMasker.mask(Map.of("url", "postgresql://app:hunter2@db:5432/x", "shards",
				List.of("redis://:pw@10.0.0.1:6379", "redis://10.0.0.2:6379")));
		assertThat(masked.get("url")).isEqualTo("postgresql://app:******@db:5432/x");
		assertThat((List<Object>) masked.get("shards")).containsExactly("redis://:******@10.0.0.1:6379",
				"redis://10.0.0.2:6379");
	}

	@Test
	void masksUrlUserInfo() {
		assertThat(SecretMasker.maskValue("redis://user:pw@host:6379/0")).isEqualTo("redis://user:******@host:6379/0");
		// a lone user-info is often a token (git, Sentry): masked whole
		assertThat(SecretMasker.maskValue("https://ghp_abc123@github.com/org/repo"))
			.isEqualTo("https://******@github.com/org/repo");
		assertThat(SecretMasker.maskValue("http://user@host")).isEqualTo("http://******@host");
		assertThat(SecretMasker.maskValue("HTTP://User:PW@Host")).isEqualTo("HTTP://User:******@Host");
	}

	@Test
	void masksAPasswordThatHoldsAnAtSignAColonOrAComma() {
		assertThat(SecretMasker.maskValue("redis://user:p@ss:w@rd@host:6379"))
			.isEqualTo("redis://user:******@host:6379");
		assertThat(SecretMasker.maskValue("redis://user:pa,ss@host:6379")).isEqualTo("redis://user:******@host:6379");
		assertThat(SecretMasker.maskValue("redis://a:pw1@h1:6379,redis://b:pw2@h2:6379"))
			.isEqualTo("redis://a:******@h1:6379,redis://b:******@h2:6379");
	}

	@Test
	void masksAPasswordThatHoldsASlashAQuestionMarkOrAHash() {
		assertThat(SecretMasker.maskValue("redis://user:pa/ss@host:6379")).isEqualTo("redis://user:******@host:6379");
		assertThat(SecretMasker.maskValue("https://user:p#w?x@host/path")).isEqualTo("https://user:******@host/path");
		assertThat(SecretMasker.maskValue("http://host:8080/path?q=1 other"))
			.isEqualTo("http://host:8080/path?q=1 other");
	}

	@Test
	void masksSecretQueryAndJdbcParameters() {
		assertThat(SecretMasker.maskValue("jdbc:postgresql://db/app?user=app&password=hunter2"))
			.isEqualTo("jdbc:postgresql://db/app?user=app&password=******");
		assertThat(SecretMasker.maskValue("jdbc:postgresql://db/app?PASSWORD=hunter2&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/app?PASSWORD=******&ssl=true");
		assertThat(SecretMasker.maskValue("jdbc:sqlserver://db:1433;databaseName=app;user=app;password=hunter2;"))
			.isEqualTo("jdbc:sqlserver://db:1433;databaseName=app;user=app;password=******;");
		assertThat(SecretMasker.maskValue("Server=db;Uid=app;Pwd=hunter2")).isEqualTo("Server=db;Uid=app;Pwd=******");
		assertThat(SecretMasker.maskValue("https://acct.blob.core.windows.net/c?sv=2024&sig=abcd%2B"))
			.isEqualTo("https://acct.blob.core.windows.net/c?sv=2024&sig=******");
		assertThat(SecretMasker.maskValue("jdbc:oracle:thin:scott/tiger@//db:1521/svc"))
			.isEqualTo("jdbc:oracle:thin:scott/******@//db:1521/svc");
	}

	@ParameterizedTest
	@ValueSource(strings = { "header:X-Shard-Key", "user@example.com", "mailto:ops@example.com",
			"http://host/users/@me", "https://host/path?email=a@b.c&page=2", "127.0.0.1:7001:1 a,127.0.0.1:7002:1 b",
			"http://localhost:8080/work", "a=b;c=d", "jdbc:postgresql://db:5432/app", "://@" })
	void valuesThatOnlyLookLikeUrlsOrSecretsAreLeftAlone(String value) {
		assertThat(SecretMasker.maskValue(value)).isEqualTo(value);
	}

}
