package dev.couponhub.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import reactor.netty.ConnectionObserver;

/** A connection's flushes made outside a read go out together; an HTTP/2 stream's pipeline is left alone. */
class ConsolidatedFlushesTests {

    private final ConsolidatedFlushes flushes = new ConsolidatedFlushes();

    @Test
    void connectionThenTheFlushesOfOneEventLoopTaskGoOutAsOneAfterIt() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        FlushCounter socket = new FlushCounter();
        try {
            LocalAddress address = new LocalAddress("flushes-" + UUID.randomUUID());
            Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }
                    }).bind(address).sync().channel();
            Channel connection = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            flushes.onChannelInit(ConnectionObserver.emptyListener(), channel, null);
                            flushes.onChannelInit(ConnectionObserver.emptyListener(), channel, null); // once only
                            channel.pipeline().addFirst(socket); // below it: what reaches the socket
                        }
                    }).connect(address).sync().channel();
            assertThat(connection.pipeline().names()).containsOnlyOnce(ConsolidatedFlushes.NAME);
            assertThat(connection.pipeline().get(ConsolidatedFlushes.NAME)).isInstanceOf(FlushConsolidationHandler.class);

            // three events written and flushed in one task of the event loop, as a fan-out's writes to three streams
            int duringTheTask = connection.eventLoop().submit(() -> {
                for (int event = 0; event < 3; event++) {
                    connection.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) event}));
                }
                return socket.flushes;
            }).get(5, TimeUnit.SECONDS);
            int afterIt = connection.eventLoop().submit(() -> socket.flushes).get(5, TimeUnit.SECONDS);

            assertThat(duringTheTask).isZero();
            assertThat(afterIt).isOne();
            connection.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void http2StreamThenNothingAdded() {
        Http2StreamChannel stream = mock(Http2StreamChannel.class);

        flushes.onChannelInit(ConnectionObserver.emptyListener(), stream, null);

        verifyNoInteractions(stream);
    }

    /** Counts the flushes that pass on towards the socket. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {

        int flushes;

        @Override
        public boolean isSharable() {
            return false;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }
}
