package dev.outrigger.ambassador.api;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.outrigger.ambassador.http.HttpSharding;
import dev.outrigger.ambassador.resp.RespProxy;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /shards}: every shard's state, ring share and counters.
 */
@RestController
public class ShardsController {

	private final @Nullable RespProxy resp;

	private final @Nullable HttpSharding http;

	public ShardsController(@Nullable RespProxy resp, @Nullable HttpSharding http) {
		this.resp = resp;
		this.http = http;
	}

	@GetMapping("/shards")
	public Map<String, Object> shards() {
		Map<String, Object> shards = new LinkedHashMap<>();
		if (this.resp != null) {
			shards.put("redis", this.resp.shards());
		}
		if (this.http != null) {
			shards.put("http", this.http.shards());
		}
		return shards;
	}

}
