package dev.outrigger.ambassador.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outrigger.ambassador.ShardedProxy;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /shards}: every shard's state, ring share and counters, by proxy.
 */
@RestController
public class ShardsController {

	private final List<ShardedProxy> proxies;

	/**
	 * Shows the given proxies' shards.
	 * @param proxies the proxies that run, in the order the answer lists them
	 */
	public ShardsController(List<ShardedProxy> proxies) {
		this.proxies = List.copyOf(proxies);
	}

	@GetMapping("/shards")
	public Map<String, Object> shards() {
		Map<String, Object> shards = new LinkedHashMap<>();
		for (ShardedProxy proxy : this.proxies) {
			shards.put(proxy.kind(), proxy.shards());
		}
		return shards;
	}

}
