package dev.outrigger.ambassador.resp;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport: Linux's native epoll when it loads (fewer system calls and copies
 * per pipelined batch), else NIO. Client and backend channels share one event loop group,
 * so both must come from the same transport.
 *
 * @param ioHandlerFactory makes the event loops' I/O handlers
 * @param serverChannel the listening channel's type
 * @param socketChannel the backend connections' channel type
 */
record Transport(IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
		Class<? extends SocketChannel> socketChannel) {

	static Transport best() {
		if (Epoll.isAvailable()) {
			return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
		}
		return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
	}

}
