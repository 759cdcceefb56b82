package dev.outrigger.ambassador.resp;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Frames backend replies: each leaves as a retained slice of the bytes the shard sent.
 */
final class RespReplyDecoder extends ByteToMessageDecoder {

	private final RespReplyScanner scanner = new RespReplyScanner();

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		try {
			int length;
			while (in.isReadable() && (length = this.scanner.scan(in, in.readerIndex())) >= 0) {
				out.add(in.readRetainedSlice(length));
			}
		}
		catch (RespProtocolException ex) {
			this.scanner.reset();
			in.skipBytes(in.readableBytes());
			throw ex;
		}
	}

}
