package dev.outrigger.ambassador.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RespCommandDecoderTests {

	private EmbeddedChannel channel;

	@BeforeAll
	static void paranoid() {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
	}

	@BeforeEach
	void setUp() {
		this.channel = new EmbeddedChannel(new RespCommandDecoder(1024, 64));
	}

	@AfterEach
	void tearDown() {
		assertFalse(this.channel.finish());
	}

	@Test
	void framesArrayCommandsFedOneByteAtATime() {
		String wire = "*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n*3\r\n$3\r\nset\r\n$0\r\n\r\n$5\r\nv\r\nal\r\n";
		feedByteByByte(wire);
		RespCommand get = this.channel.readInbound();
		RespCommand set = this.channel.readInbound();
		try {
			assertThat(get.name()).isEqualTo("GET");
			assertThat(get.argc()).isEqualTo(2);
			assertThat(get.argAsString(1)).isEqualTo("foo");
			assertThat(get.content().toString(StandardCharsets.UTF_8)).isEqualTo("*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n");
			assertThat(set.name()).isEqualTo("SET");
			assertThat(set.length(1)).isZero();
			assertThat(set.argAsString(2)).isEqualTo("v\r\nal");
			assertThat(set.inline()).isFalse();
		}
		finally {
			get.release();
			set.release();
		}
	}

	@Test
	void framesInlineCommands() {
		feedByteByByte("PING\r\n\r\n  get   foo \n");
		RespCommand ping = this.channel.readInbound();
		RespCommand get = this.channel.readInbound();
		try {
			assertThat(ping.name()).isEqualTo("PING");
			assertThat(ping.inline()).isTrue();
			assertThat(get.name()).isEqualTo("GET");
			assertThat(get.argc()).isEqualTo(2);
			assertThat(get.argAsString(1)).isEqualTo("foo");
		}
		finally {
			ping.release();
			get.release();
		}
	}

	@Test
	void ignoresEmptyArrays() {
		feedByteByByte("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
		RespCommand ping = this.channel.readInbound();
		assertThat(ping.name()).isEqualTo("PING");
		ping.release();
		assertThat((Object) this.channel.readInbound()).isNull();
	}

	@Test
	void agreesWithNettyRedisDecoderOnArguments() {
		String wire = "*4\r\n$4\r\nMSET\r\n$1\r\nk\r\n$3\r\n\u00e9t\r\n$2\r\nzz\r\n";
		EmbeddedChannel oracle = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(),
				new RedisArrayAggregator());
		oracle.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.UTF_8));
		ArrayRedisMessage expected = oracle.readInbound();
		feedByteByByte(wire);
		RespCommand actual = this.channel.readInbound();
		try {
			List<String> expectedArgs = new ArrayList<>();
			for (RedisMessage child : expected.children()) {
				expectedArgs.add(((FullBulkStringRedisMessage) child).content().toString(StandardCharsets.UTF_8));
			}
			List<String> actualArgs = new ArrayList<>();
			for (int i = 0; i < actual.argc(); i++) {
				actualArgs.add(actual.argAsString(i));
			}
			assertThat(actualArgs).isEqualTo(expectedArgs);
		}
		finally {
			ReferenceCountUtil.release(expected);
			actual.release();
			assertFalse(oracle.finish());
		}
	}

	@Test
	void rejectsBadBulkHeaderAndDiscardsTheRest() {
		assertThatThrownBy(() -> feedByteByByte("*1\r\n:4\r\nPING\r\n")).isInstanceOf(DecoderException.class)
			.hasMessageContaining("expected '$'");
		// after an error the rest of the stream is dropped; the session closes the
		// connection
		feedByteByByte("*1\r\n$4\r\nPING\r\n");
		assertThat((Object) this.channel.readInbound()).isNull();
	}

	@Test
	void rejectsBulkOverLimit() {
		assertThatThrownBy(() -> this.channel.writeInbound(ascii("*2\r\n$3\r\nGET\r\n$99999\r\n")))
			.isInstanceOf(DecoderException.class)
			.hasMessageContaining("invalid bulk length");
	}

	@Test
	void rejectsNonNumericLengths() {
		assertThatThrownBy(() -> this.channel.writeInbound(ascii("*x\r\n"))).isInstanceOf(DecoderException.class)
			.hasMessageContaining("invalid multibulk length");
	}

	@Test
	void rejectsTooManyArguments() {
		assertThatThrownBy(() -> this.channel.writeInbound(ascii("*99999999\r\n"))).isInstanceOf(DecoderException.class)
			.hasMessageContaining("invalid multibulk length");
	}

	@Test
	void rejectsOverlongHeaderLine() {
		assertThatThrownBy(() -> this.channel.writeInbound(ascii("*1\r\n$1111111111111111111111111111")))
			.isInstanceOf(DecoderException.class);
	}

	@Test
	void rejectsOverlongInlineLine() {
		assertThatThrownBy(() -> this.channel.writeInbound(ascii("GET " + "k".repeat(100))))
			.isInstanceOf(DecoderException.class)
			.hasMessageContaining("too big inline request");
	}

	@Test
	void rejectsBulkWithoutCrlf() {
		assertThatThrownBy(() -> this.channel.writeInbound(ascii("*1\r\n$4\r\nPINGxx")))
			.isInstanceOf(DecoderException.class)
			.hasMessageContaining("not terminated");
	}

	@Test
	void replyDecoderFramesNestedRepliesByteByByte() {
		EmbeddedChannel replies = new EmbeddedChannel(new RespReplyDecoder());
		String wire = "+OK\r\n-ERR x\r\n:12\r\n$-1\r\n$3\r\na\r\n\r\n*2\r\n*1\r\n$1\r\nx\r\n*-1\r\n*0\r\n";
		for (byte b : wire.getBytes(StandardCharsets.US_ASCII)) {
			replies.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
		}
		List<String> frames = new ArrayList<>();
		ByteBuf frame;
		while ((frame = replies.readInbound()) != null) {
			frames.add(frame.toString(StandardCharsets.US_ASCII));
			frame.release();
		}
		assertThat(frames).containsExactly("+OK\r\n", "-ERR x\r\n", ":12\r\n", "$-1\r\n", "$3\r\na\r\n\r\n",
				"*2\r\n*1\r\n$1\r\nx\r\n*-1\r\n", "*0\r\n");
		assertFalse(replies.finish());
	}

	private void feedByteByByte(String wire) {
		for (byte b : wire.getBytes(StandardCharsets.UTF_8)) {
			this.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
		}
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
	}

}
