package dev.outrigger.ambassador.resp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.resp.CommandSpec.Action;

/**
 * MGET, MSET, DEL, UNLINK, EXISTS and TOUCH across shards: one rebuilt sub-command per
 * shard (twemproxy's grouping), replies merged when the last one is in.
 * <ul>
 * <li>MGET keeps key order; keys of a failed shard get that shard's error as their
 * element (RESP2 arrays may hold errors).</li>
 * <li>MSET answers +OK only if every shard did; otherwise {@code -ERR} names the failed
 * shards. The write is not atomic: pairs on the other shards <em>were</em> written.</li>
 * <li>DEL/UNLINK/EXISTS/TOUCH sum the integers; if a shard failed, {@code -ERR} names it
 * (the other shards' deletions happened).</li>
 * </ul>
 */
final class SplitCommand {

	/** Keys of one shard: their positions in the original command. */
	private record Part(Shard shard, int[] keys) {
	}

	private final Action action;

	private final String name;

	private final int keyCount;

	private final Part[] parts;

	private final ByteBuf[] replies;

	private final ReplyCallback target;

	private final ByteBufAllocator alloc;

	private int outstanding;

	private SplitCommand(Action action, String name, int keyCount, Part[] parts, ReplyCallback target,
			ByteBufAllocator alloc) {
		this.action = action;
		this.name = name;
		this.keyCount = keyCount;
		this.parts = parts;
		this.replies = new ByteBuf[parts.length];
		this.target = target;
		this.alloc = alloc;
		this.outstanding = parts.length;
	}

	/** Sends {@code command}, split if its keys span shards; takes ownership of it. */
	static void dispatch(RespCommand command, CommandSpec spec, ClientSession session, ReplyCallback target) {
		int step = spec.step();
		int keyCount = (command.argc() - 1) / step;
		Map<Shard, List<Integer>> groups = new LinkedHashMap<>();
		RingHolder ring = session.ring();
		for (int k = 0; k < keyCount; k++) {
			int arg = 1 + k * step;
			Shard shard = ring.locate(command.content(), command.absoluteOffset(arg), command.length(arg));
			groups.computeIfAbsent(shard, (key) -> new ArrayList<>()).add(arg);
		}
		if (groups.size() == 1) {
			// all on one shard: the original bytes go unchanged
			session.forward(groups.keySet().iterator().next(),
					command.inline() ? Replies.toArray(session.alloc(), command) : command.content().retain(), target);
			command.release();
			return;
		}
		Part[] parts = new Part[groups.size()];
		int i = 0;
		for (Map.Entry<Shard, List<Integer>> group : groups.entrySet()) {
			parts[i++] = new Part(group.getKey(), group.getValue().stream().mapToInt(Integer::intValue).toArray());
		}
		SplitCommand split = new SplitCommand(spec.action(), command.name(), keyCount, parts, target, session.alloc());
		ByteBuf[] frames = new ByteBuf[parts.length];
		try {
			for (int p = 0; p < parts.length; p++) {
				frames[p] = fragment(session.alloc(), command, parts[p].keys(), step);
			}
		}
		finally {
			command.release();
		}
		for (int p = 0; p < parts.length; p++) {
			int index = p;
			session.forward(parts[p].shard(), frames[p], (reply) -> split.partDone(index, reply));
		}
	}

	private static ByteBuf fragment(ByteBufAllocator alloc, RespCommand command, int[] keyArgs, int step) {
		ByteBuf buf = alloc.buffer();
		Replies.writeArrayHeader(buf, 1 + keyArgs.length * step);
		Replies.writeBulk(buf, command.content(), command.absoluteOffset(0), command.length(0));
		for (int arg : keyArgs) {
			for (int j = 0; j < step; j++) {
				Replies.writeBulk(buf, command.content(), command.absoluteOffset(arg + j), command.length(arg + j));
			}
		}
		return buf;
	}

	private void partDone(int index, ByteBuf reply) {
		this.replies[index] = reply;
		if (--this.outstanding == 0) {
			ByteBuf merged;
			try {
				merged = switch (this.action) {
					case SPLIT_MGET -> mergeMget();
					case SPLIT_MSET -> mergeMset();
					default -> mergeSum();
				};
			}
			finally {
				for (ByteBuf part : this.replies) {
					part.release();
				}
			}
			this.target.onReply(merged);
		}
	}

	private ByteBuf mergeMget() {
		// where each key's element sits: (reply index, offset, length) or an error line
		int[] owner = new int[this.keyCount];
		int[] offset = new int[this.keyCount];
		int[] length = new int[this.keyCount];
		String[] errors = new String[this.parts.length];
		for (int p = 0; p < this.parts.length; p++) {
			ByteBuf reply = this.replies[p];
			int[] keys = this.parts[p].keys();
			int at = reply.readerIndex();
			boolean ok = reply.getByte(at) == '*';
			if (ok) {
				int lf = reply.indexOf(at, reply.writerIndex(), (byte) '\n');
				ok = RespNumbers.parse(reply, at + 1, lf - 1 - (at + 1)) == keys.length;
				at = lf + 1;
			}
			if (!ok) {
				errors[p] = Replies.isError(reply) ? Replies.firstLine(reply)
						: "ERR unexpected MGET reply from shard " + this.parts[p].shard().name();
			}
			RespReplyScanner scanner = new RespReplyScanner();
			for (int key : keys) {
				int k = key - 1;
				owner[k] = p;
				if (ok) {
					int len = scanner.scan(reply, at);
					offset[k] = at;
					length[k] = len;
					at += len;
				}
			}
		}
		ByteBuf out = this.alloc.buffer();
		Replies.writeArrayHeader(out, this.keyCount);
		for (int k = 0; k < this.keyCount; k++) {
			String error = errors[owner[k]];
			if (error != null) {
				out.writeByte('-');
				io.netty.buffer.ByteBufUtil.writeUtf8(out, error);
				out.writeByte('\r').writeByte('\n');
			}
			else {
				out.writeBytes(this.replies[owner[k]], offset[k], length[k]);
			}
		}
		return out;
	}

	private ByteBuf mergeMset() {
		List<String> failed = new ArrayList<>();
		for (int p = 0; p < this.parts.length; p++) {
			ByteBuf reply = this.replies[p];
			if (reply.getByte(reply.readerIndex()) != '+') {
				failed.add(describe(p, reply));
			}
		}
		if (failed.isEmpty()) {
			return Replies.ok();
		}
		return Replies.error(this.alloc, "ERR " + this.name + " failed on " + failed.size() + " of " + this.parts.length
				+ " shards (" + String.join("; ", failed) + "); pairs on the other shards were written");
	}

	private ByteBuf mergeSum() {
		long total = 0;
		List<String> failed = new ArrayList<>();
		for (int p = 0; p < this.parts.length; p++) {
			ByteBuf reply = this.replies[p];
			long value = Long.MIN_VALUE;
			if (reply.getByte(reply.readerIndex()) == ':') {
				int lf = reply.indexOf(reply.readerIndex(), reply.writerIndex(), (byte) '\n');
				value = RespNumbers.parse(reply, reply.readerIndex() + 1, lf - 1 - (reply.readerIndex() + 1));
			}
			if (value == Long.MIN_VALUE) {
				failed.add(describe(p, reply));
			}
			else {
				total += value;
			}
		}
		if (failed.isEmpty()) {
			return Replies.integer(this.alloc, total);
		}
		return Replies.error(this.alloc,
				"ERR " + this.name + " failed on " + failed.size() + " of " + this.parts.length + " shards ("
						+ String.join("; ", failed) + "); " + total
						+ " counted on the others, whose changes were applied");
	}

	private String describe(int part, ByteBuf reply) {
		Shard shard = this.parts[part].shard();
		String line = Replies.isError(reply) ? Replies.firstLine(reply) : "unexpected reply";
		return shard.name() + ": " + line;
	}

}
