package dev.couponhub.notification.stream;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServer;

/**
 * Gathers the flushes of one connection into as few socket writes as it can. A fan-out hands each stream its event on
 * its own, and each stream flushes it: over h2c, where up to 100 streams share one connection, a page of a thousand
 * recipients was a thousand {@code writev} calls on a hundred sockets. Netty's {@link FlushConsolidationHandler} at the
 * socket's end of the pipeline turns a flush made outside a read into one flush task on the connection's event loop,
 * run after the writes queued meanwhile (and flushes at once after {@value #EXPLICIT_FLUSH_AFTER} of them), as
 * Reactor Netty's HTTP/2 client already does. Only on connection channels: an HTTP/2 stream's flush goes to its
 * connection's.
 */
@Component
class ConsolidatedFlushes implements NettyServerCustomizer, ChannelPipelineConfigurer {

    /** The handler's name in a connection's pipeline. */
    static final String NAME = "couponhub.flushConsolidation";
    /** Flushes passed on at once after this many, as Reactor Netty's HTTP/2 client. */
    static final int EXPLICIT_FLUSH_AFTER = 1024;

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit(this);
    }

    @Override
    public void onChannelInit(ConnectionObserver observer, Channel channel, SocketAddress remoteAddress) {
        if (!(channel instanceof Http2StreamChannel) && channel.pipeline().get(NAME) == null) {
            channel.pipeline().addFirst(NAME, new FlushConsolidationHandler(EXPLICIT_FLUSH_AFTER, true));
        }
    }
}
