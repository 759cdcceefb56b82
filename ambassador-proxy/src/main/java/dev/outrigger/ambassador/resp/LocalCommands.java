package dev.outrigger.ambassador.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Commands the proxy answers itself; connection-level state only, never data. */
final class LocalCommands {

	private LocalCommands() {
	}

	static ByteBuf answer(ByteBufAllocator alloc, RespCommand command) {
		return switch (command.name()) {
			case "PING" -> switch (command.argc()) {
				case 1 -> Replies.pong();
				case 2 -> Replies.bulk(alloc, command.content(), command.absoluteOffset(1), command.length(1));
				default -> wrongArity(alloc, command);
			};
			case "ECHO" -> (command.argc() == 2)
					? Replies.bulk(alloc, command.content(), command.absoluteOffset(1), command.length(1))
					: wrongArity(alloc, command);
			case "QUIT" -> Replies.ok();
			case "SELECT" -> select(alloc, command);
			case "HELLO" -> hello(alloc, command);
			case "COMMAND" -> commandInfo(alloc, command);
			case "CLIENT" -> client(alloc, command);
			case "AUTH" -> Replies.error(alloc, "ERR AUTH is not needed: the proxy authenticates to the shards itself");
			default -> Replies.error(alloc, "ERR unknown command '" + command.name() + "'");
		};
	}

	private static ByteBuf select(ByteBufAllocator alloc, RespCommand command) {
		if (command.argc() != 2) {
			return wrongArity(alloc, command);
		}
		return (command.argAsLong(1) == 0) ? Replies.ok()
				: Replies.error(alloc, "ERR SELECT is not supported by the sharding proxy: only database 0 exists");
	}

	/**
	 * RESP2 only: {@code HELLO} and {@code HELLO 2} describe the proxy, {@code HELLO 3}
	 * is refused.
	 */
	private static ByteBuf hello(ByteBufAllocator alloc, RespCommand command) {
		if (command.argc() >= 2 && command.argAsLong(1) != 2) {
			return Replies.error(alloc, "NOPROTO the sharding proxy speaks RESP2 only");
		}
		if (command.argc() > 2) {
			return Replies.error(alloc, "ERR HELLO options (AUTH, SETNAME) are not supported by the sharding proxy");
		}
		ByteBuf buf = alloc.buffer(128);
		Replies.writeArrayHeader(buf, 14);
		Replies.writeBulk(buf, "server");
		Replies.writeBulk(buf, "outrigger-ambassador");
		Replies.writeBulk(buf, "version");
		Replies.writeBulk(buf, "7.0.0");
		Replies.writeBulk(buf, "proto");
		buf.writeBytes(":2\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		Replies.writeBulk(buf, "id");
		buf.writeBytes(":0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		Replies.writeBulk(buf, "mode");
		Replies.writeBulk(buf, "proxy");
		Replies.writeBulk(buf, "role");
		Replies.writeBulk(buf, "master");
		Replies.writeBulk(buf, "modules");
		Replies.writeArrayHeader(buf, 0);
		return buf;
	}

	private static ByteBuf commandInfo(ByteBufAllocator alloc, RespCommand command) {
		if (command.argc() >= 2 && command.argEqualsIgnoreCase(1, "COUNT")) {
			return Replies.integer(alloc, CommandTable.size());
		}
		// COMMAND, COMMAND DOCS, COMMAND INFO: an empty answer tells clients to use their
		// defaults
		ByteBuf buf = alloc.buffer(8);
		Replies.writeArrayHeader(buf, 0);
		return buf;
	}

	private static ByteBuf client(ByteBufAllocator alloc, RespCommand command) {
		if (command.argc() >= 2
				&& (command.argEqualsIgnoreCase(1, "SETNAME") || command.argEqualsIgnoreCase(1, "SETINFO"))) {
			// client libraries send these on connect; there is no one to tell
			return Replies.ok();
		}
		return Replies.error(alloc,
				"ERR CLIENT subcommands other than SETNAME/SETINFO are not supported by the sharding proxy");
	}

	static ByteBuf wrongArity(ByteBufAllocator alloc, RespCommand command) {
		return Replies.error(alloc, "ERR wrong number of arguments for '" + command.name().toLowerCase() + "' command");
	}

}
